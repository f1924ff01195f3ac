import type { CellsAuthErrorCode } from "./errors.js";

/**
 * What the library reports through `onEvent`: enough to log and count, never a secret or a
 * token (tokens appear as a short `fingerprint`).
 */
export type TokenEvent =
  | { type: "token_requested"; attempt: number }
  | { type: "token_issued"; fingerprint: string; expiresIn: number; expiresAt: number; attempts: number }
  | { type: "retry"; attempt: number; delayMs: number; reason: "network" | "timeout" | "status"; status?: number | undefined }
  | { type: "refresh_failed"; code: CellsAuthErrorCode; status?: number | undefined; retryInMs: number }
  | { type: "token_invalidated"; fingerprint: string }
  | { type: "store_error"; operation: "get" | "set" | "delete"; message: string };

export type TokenEventListener = (event: TokenEvent) => void;

/** Calls the listener; a listener that throws never breaks token acquisition. */
export function emit(listener: TokenEventListener | undefined, event: TokenEvent): void {
  if (!listener) return;
  try {
    listener(event);
  } catch {
    // The listener's failure is its own; the token flow goes on.
  }
}

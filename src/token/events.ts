import type { CellsAuthErrorCode } from "../errors.js";

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
  | { type: "store_error"; operation: "get" | "set" | "delete" | "lease" | "release"; message: string }
  /**
   * With a store that shares one request across processes (`TokenStore.lease`): `acquired`, this
   * client requests the token for everyone; `shared`, it got the token another process requested;
   * `timeout`, the wait for another process ran out and it requests one itself.
   */
  | { type: "store_lease"; outcome: "acquired" | "shared" | "timeout" };

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

/** The message of a thrown value, for `store_error` events. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

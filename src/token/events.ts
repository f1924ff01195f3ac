import type { CellsAuthErrorCode } from "../errors.js";
import type { FlightMode } from "./cache-rules.js";

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
  | { type: "store_lease"; outcome: "acquired" | "shared" | "timeout" }
  /**
   * A token client's flight takes off: one acquisition of a token (the token request with its
   * retries, or the store), shared by every caller that waits for it. `flight` numbers the
   * client's flights from 1; `mode` says why: `cold` (no usable token), `soft` (a background
   * refresh), `force` (`forceRefresh`). `timeLeftMs` is the life left on the token the client
   * holds (0 once it ended), when it holds one. The events of its request (`token_requested`,
   * `retry`, `token_issued`, `store_lease`) follow; `token_flight_landed` or `token_flight_failed` ends it.
   */
  | { type: "token_flight_started"; flight: number; mode: FlightMode; baseUrl: string; timeLeftMs?: number | undefined }
  /** A flight brought a token: requested by this client (`source: "request"`) or taken from its store. `durationMs` on the monotonic clock. */
  | { type: "token_flight_landed"; flight: number; mode: FlightMode; source: "request" | "store"; fingerprint: string; durationMs: number }
  /** A flight failed with the `CellsAuthError` its callers get: its `code`, HTTP `status` and `attempts` when known. */
  | { type: "token_flight_failed"; flight: number; mode: FlightMode; code: CellsAuthErrorCode; status?: number | undefined; attempts?: number | undefined; durationMs: number };

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

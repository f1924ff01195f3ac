import type { CellsAuthErrorCode } from "../errors.js";
import type { FlightMode } from "./cache-rules.js";

/**
 * What the library reports through `onEvent`: enough to log and count, never a secret or a
 * token (tokens appear as a short `fingerprint`).
 */
export type TokenEvent =
  /** A token request is about to go out. */
  | {
      /** The event's kind. */
      type: "token_requested";
      /** 1 for the first attempt, 2 for the first retry, and so on. */
      attempt: number;
    }
  /** A token arrived. */
  | {
      /** The event's kind. */
      type: "token_issued";
      /** A short hash of the token, to tell tokens apart in logs. */
      fingerprint: string;
      /** Its lifetime in seconds, as the server gave it. */
      expiresIn: number;
      /** When it expires, in epoch milliseconds. */
      expiresAt: number;
      /** The attempts it took. */
      attempts: number;
    }
  /** An attempt failed in a way worth retrying; the next one goes after `delayMs`. */
  | {
      /** The event's kind. */
      type: "retry";
      /** The attempt that failed. */
      attempt: number;
      /** The wait before the next attempt, in milliseconds (the backoff, or the server's `Retry-After`). */
      delayMs: number;
      /** Why: no connection, no answer within `timeoutMs`, or a retryable HTTP status. */
      reason: "network" | "timeout" | "status";
      /** The HTTP status, for `reason: "status"`. */
      status?: number | undefined;
    }
  /** A background refresh failed; callers keep the cached token while it is valid. */
  | {
      /** The event's kind. */
      type: "refresh_failed";
      /** The failure's `CellsAuthError` code. */
      code: CellsAuthErrorCode;
      /** The HTTP status, when there was one. */
      status?: number | undefined;
      /** The cool-down before the next token request, in milliseconds. */
      retryInMs: number;
    }
  /** `invalidate()` dropped a cached token. */
  | {
      /** The event's kind. */
      type: "token_invalidated";
      /** A short hash of the dropped token. */
      fingerprint: string;
    }
  /** A store call failed or timed out; the client went on without the store. */
  | {
      /** The event's kind. */
      type: "store_error";
      /** The store call that failed. */
      operation: "get" | "set" | "delete" | "lease" | "release";
      /** The failure's message. */
      message: string;
    }
  /**
   * With a store that shares one request across processes (`TokenStore.lease`): `acquired`, this
   * client requests the token for everyone; `shared`, it got the token another process requested;
   * `timeout`, the wait for another process ran out and it requests one itself.
   */
  | {
      /** The event's kind. */
      type: "store_lease";
      /** How the lease went (see above). */
      outcome: "acquired" | "shared" | "timeout";
    }
  /**
   * A token client's flight takes off: one acquisition of a token (the token request with its
   * retries, or the store), shared by every caller that waits for it. The events of its request
   * (`token_requested`, `retry`, `token_issued`, `store_lease`) follow; `token_flight_landed` or
   * `token_flight_failed` ends it.
   */
  | {
      /** The event's kind. */
      type: "token_flight_started";
      /** Numbers the client's flights from 1. */
      flight: number;
      /** Why: `cold` (no usable token), `soft` (a background refresh), `force` (`forceRefresh`). */
      mode: FlightMode;
      /** The API base URL the client gets tokens for. */
      baseUrl: string;
      /** The life left on the token the client holds (0 once it ended), when it holds one. */
      timeLeftMs?: number | undefined;
    }
  /** A flight brought a token. */
  | {
      /** The event's kind. */
      type: "token_flight_landed";
      /** The flight's number (see `token_flight_started`). */
      flight: number;
      /** Why it took off (see `token_flight_started`). */
      mode: FlightMode;
      /** `request`: requested by this client; `store`: taken from its store. */
      source: "request" | "store";
      /** The token's fingerprint. */
      fingerprint: string;
      /** How long the flight took, on the monotonic clock. */
      durationMs: number;
    }
  /** A flight failed with the `CellsAuthError` its callers get. */
  | {
      /** The event's kind. */
      type: "token_flight_failed";
      /** The flight's number (see `token_flight_started`). */
      flight: number;
      /** Why it took off (see `token_flight_started`). */
      mode: FlightMode;
      /** The error's `code`. */
      code: CellsAuthErrorCode;
      /** The HTTP status, when one was received. */
      status?: number | undefined;
      /** The HTTP attempts made, when known. */
      attempts?: number | undefined;
      /** How long the flight took, on the monotonic clock. */
      durationMs: number;
    };

/** Receives every `TokenEvent` of a client (`onEvent`); what it throws is ignored. */
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

import type { Fault, InjectOptions } from "./faults.js";
import type { RecordedRequest } from "./request-log.js";

/** Counters since the server started; they are never trimmed. */
export interface TokenServerStats {
  /** POST requests to the token endpoint, faulted ones included. */
  readonly tokenRequests: number;
  /** Tokens issued (200 answers of the token endpoint without a fault). */
  readonly tokensIssued: number;
  /** Token requests that got an injected fault. */
  readonly faultsServed: number;
  /** GET requests to the API endpoints (`/cells`, `/cells/status/check`). */
  readonly apiCalls: number;
  /** API calls answered 401; the sum of the four counters below. */
  readonly apiCallsRejected: number;
  /** API calls with a token this server issued that had expired. A client that refreshes in time keeps this at 0. */
  readonly expiredTokenCalls: number;
  /** API calls with a well-formed bearer token this server never issued. */
  readonly unknownTokenCalls: number;
  /** API calls with a token revoked by `revoke()` or `revokeAll()`. */
  readonly revokedTokenCalls: number;
  /** API calls without an `Authorization: Bearer <token>` header, or with a malformed one. */
  readonly missingTokenCalls: number;
}

/** A running emulator; see {@link startTokenServer}. */
export interface TokenServer {
  /** `http://127.0.0.1:<port><basePath>`, the value to give a client as its base URL. */
  readonly baseUrl: string;
  /** `baseUrl + "/cells/connect/token"`. */
  readonly tokenUrl: string;
  /** The port it listens on, on 127.0.0.1. */
  readonly port: number;
  /** The client id the server accepts. (The secret is deliberately not readable back.) */
  readonly clientId: string;
  /** Lifetime in seconds of the next tokens issued. */
  readonly tokenLifetimeSeconds: number;
  /** A frozen snapshot of the recorded requests, oldest first, every secret redacted. */
  readonly requests: readonly RecordedRequest[];
  /** A frozen snapshot of the counters. */
  readonly stats: TokenServerStats;
  /** How many token requests are still to get an injected fault (Infinity for an open-ended one). */
  readonly faultsPending: number;
  /**
   * Gives the next `times` token requests (POSTs to the token endpoint) this fault instead of the
   * normal processing (`delay` waits, then processes normally). Faults queue in the order injected.
   * Throws a TypeError for an invalid fault.
   */
  inject(fault: Fault, options?: InjectOptions): void;
  /** Drops every queued fault. */
  clearFaults(): void;
  /** Makes API calls with this token answer 401 (and count as `revokedTokenCalls`); false when this server never issued it. */
  revoke(token: string): boolean;
  /** Revokes every token issued so far; returns how many that newly revoked. */
  revokeAll(): number;
  /** Sets the lifetime of tokens issued from now on, in whole seconds >= 1. */
  setTokenLifetime(seconds: number): void;
  /** Forgets the recorded requests (the counters are kept). */
  clearRequests(): void;
  /**
   * Stops the server: stops listening, cancels pending delays and destroys every open connection,
   * hanging ones included, so it never holds up a test run. Safe to call more than once.
   */
  close(): Promise<void>;
}

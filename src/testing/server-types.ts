import type { Fault, InjectOptions } from "./faults.js";
import type { RecordedRequest } from "./request-log.js";

/** Counters since the server started; they are never trimmed. */
export interface TokenServerStats {
  /** POST requests to the token endpoint, faulted ones included. */
  readonly tokenRequests: number;
  /** Tokens issued (200 answers of the token endpoint without a fault). */
  readonly tokensIssued: number;
  /** Requests that got an injected fault (token requests, and API calls for faults injected with `endpoint: "api"`). */
  readonly faultsServed: number;
  /** Calls to the API endpoints: `GET /cells`, `GET /cells/status/check`, and the operations of `options.specs`. */
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

/** The HTTP methods of OpenAPI operations, lower case. */
export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/** The methods a path item of openapi-typescript's `paths` defines (its others are typed `never`). */
export type DefinedMethod<Item> = {
  [M in HttpMethod]: M extends keyof Item ? ([NonNullable<Item[M]>] extends [never] ? never : M) : never;
}[HttpMethod];

/** A path of `Paths` (any string when `Paths` is not given). */
export type PathOf<Paths> = [keyof Paths] extends [never] ? string : Extract<keyof Paths, string>;

/** A method `Paths` defines on `P`, in lower or upper case (any string when `Paths` is not given). */
export type MethodOf<Paths, P> = [keyof Paths] extends [never]
  ? string
  : P extends keyof Paths
    ? DefinedMethod<Paths[P]> | Uppercase<DefinedMethod<Paths[P]>>
    : never;

/** Answers a request instead of the emulator: a standard `Request` in, a `Response` (or a promise of one) out. */
export type RequestHandler = (request: Request) => Response | Promise<Response>;

/**
 * A running emulator; see {@link startTokenServer}. `Paths` (openapi-typescript's `paths` of the
 * specs it serves) types `handle()`.
 */
export interface TokenServer<Paths extends object = {}> {
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
   * Gives the next `times` token requests (POSTs to the token endpoint), or with
   * `endpoint: "api"` the next API calls, this fault instead of the normal processing (`delay`
   * waits, then processes normally). Faults queue in the order injected. Throws a TypeError for an
   * invalid fault.
   */
  inject(fault: Fault, options?: InjectOptions): void;
  /**
   * Answers `method` on `path` (a path template of a served spec, like `/cells/{name}/worksheets`,
   * or `/cells/status/check` and `/cells`) with `handler` instead of the spec's answer, until the
   * returned function is called or another handler replaces it. The token is checked first (401 as
   * always) and so is the request against the spec (400); the handler gets the request with its
   * full URL, headers and body. A handler that throws, or gives something else than a `Response`,
   * answers 500. Throws a TypeError for an operation the server does not serve.
   */
  handle<P extends PathOf<Paths>>(method: MethodOf<Paths, P>, path: P, handler: RequestHandler): () => void;
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

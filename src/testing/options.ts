import { resolveCors } from "./cors.js";
import type { RecordedRequest } from "./request-log.js";

/** Client id the emulator accepts when `clientId` is not given. */
export const DEFAULT_CLIENT_ID = "test-client-id";

/** Client secret the emulator accepts when `clientSecret` is not given. */
export const DEFAULT_CLIENT_SECRET = "test-client-secret";

/** The defaults of {@link TokenServerOptions}, applied by `resolveOptions` only. */
export const SERVER_DEFAULTS = Object.freeze({
  tokenLifetimeSeconds: 3600,
  basePath: "/v4.0",
  port: 0,
  maxRecordedRequests: 10_000,
  privateNetworkAccess: false,
} as const);

/** Options of {@link startTokenServer}. Every option is optional. */
export interface TokenServerOptions {
  /**
   * The client id the token endpoint accepts.
   * @default "test-client-id" (exported as `DEFAULT_CLIENT_ID`)
   */
  clientId?: string | undefined;
  /**
   * The client secret the token endpoint accepts. It is compared in constant time and never
   * appears in `requests`, `stats`, `util.inspect(server)` or `JSON.stringify(server)`: recorded
   * values are scrubbed of it wherever it occurs whole, in every spelling the library's scrubber
   * sees through (percent-encoded, base64...: README's Security notes), so pick one that does not
   * occur in ordinary text.
   * @default "test-client-secret" (exported as `DEFAULT_CLIENT_SECRET`)
   */
  clientSecret?: string | undefined;
  /**
   * Lifetime of issued tokens in whole seconds (the `expires_in` of the token response).
   * Change it later with `server.setTokenLifetime(seconds)`.
   * @default 3600
   */
  tokenLifetimeSeconds?: number | undefined;
  /**
   * Path prefix every endpoint is mounted under, like the version segment of the real API.
   * `""` or `"/"` mounts at the root.
   * @default "/v4.0"
   */
  basePath?: string | undefined;
  /**
   * TCP port on 127.0.0.1. `0` picks a free port.
   * @default 0
   */
  port?: number | undefined;
  /**
   * Clock in epoch milliseconds, used for issue times, expiry checks and `receivedAt`.
   * Inject one to test expiry without waiting. Fault delays use real timers.
   * @default Date.now
   */
  now?: (() => number) | undefined;
  /**
   * How many requests `server.requests` keeps; the oldest are dropped beyond it, so a long soak
   * run does not grow the heap. `stats` always count every request.
   * @default 10000
   */
  maxRecordedRequests?: number | undefined;
  /**
   * Answer CORS, so a page in a browser can call the emulator: `true` allows every origin, a string
   * allows that one origin (`"http://127.0.0.1:5173"`). Every answer then carries
   * `Access-Control-Allow-Origin` and exposes `Retry-After`, and preflights (`OPTIONS`) get 204
   * allowing GET, POST and the headers asked for.
   * @default false
   */
  cors?: boolean | string | undefined;
  /**
   * Also grant Private Network Access: answer a preflight that carries
   * `Access-Control-Request-Private-Network: true` with `Access-Control-Allow-Private-Network: true`,
   * so that a page from a public origin may call the emulator on 127.0.0.1. Needs `cors`. Off, a
   * browser that asks is refused (a page on the public web has no business calling a local server).
   * @default false
   */
  privateNetworkAccess?: boolean | undefined;
  /**
   * OpenAPI spec files (OpenAPI 3.x, or Swagger 2.0) whose operations to serve beside the shipped
   * controllers, which are always served: for example the `.yaml` files `aspose-cells-codegen add`
   * writes. Their calls take a bearer token like `GET /cells/status/check` (401 otherwise),
   * requests are validated against the spec (400 with an Aspose-style error naming the problem),
   * and answers come from the spec's examples or are sampled from its schemas; `server.handle()`
   * overrides an operation. Needs the package aspose-cells-codegen (a devDependency), loaded only
   * when this option is given.
   * @default []
   */
  specs?: readonly string[] | undefined;
  /**
   * Called with each request once it is settled (answered, aborted, reset, or for a `hang` fault
   * when its connection ends), redacted like `server.requests`. Whatever it throws is ignored.
   * @default undefined
   */
  onRequest?: ((request: RecordedRequest) => void) | undefined;
}

/** Options after defaults and checks; frozen. */
export interface ResolvedOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenLifetimeSeconds: number;
  readonly basePath: string;
  readonly port: number;
  readonly now: () => number;
  readonly maxRecordedRequests: number;
  /** `Access-Control-Allow-Origin` to send, or undefined when CORS is off. */
  readonly cors: string | undefined;
  readonly privateNetworkAccess: boolean;
  readonly onRequest: ((request: RecordedRequest) => void) | undefined;
  readonly specs: readonly string[];
}

/** Throws a TypeError naming the option unless `seconds` is a whole number of seconds >= 1. */
export function checkLifetime(seconds: unknown, name: string): number {
  if (typeof seconds !== "number" || !Number.isSafeInteger(seconds) || seconds < 1) {
    throw new TypeError(`${name} must be a whole number of seconds >= 1`);
  }
  return seconds;
}

function checkNonEmptyString(value: unknown, name: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty string`);
  }
  return value;
}

function normalizeBasePath(value: unknown): string {
  if (typeof value !== "string" || (value !== "" && !value.startsWith("/")) || /[?#\s]/.test(value)) {
    throw new TypeError('options.basePath must be "" or a path starting with "/" (no query, fragment or spaces)');
  }
  return value.replace(/\/+$/, "");
}

function checkSpecs(specs: unknown): readonly string[] {
  if (!Array.isArray(specs) || specs.some((file) => typeof file !== "string" || file === "")) {
    throw new TypeError("options.specs must be an array of spec file paths (non-empty strings)");
  }
  return Object.freeze([...(specs as string[])]);
}

/** Applies the defaults (the only place they are applied) and checks every option. */
export function resolveOptions(options: TokenServerOptions = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("options must be an object");
  }
  const port = options.port ?? SERVER_DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError("options.port must be an integer from 0 to 65535");
  }
  const now = options.now ?? Date.now;
  if (typeof now !== "function") {
    throw new TypeError("options.now must be a function returning epoch milliseconds");
  }
  const maxRecordedRequests = options.maxRecordedRequests ?? SERVER_DEFAULTS.maxRecordedRequests;
  if (!(Number.isSafeInteger(maxRecordedRequests) && maxRecordedRequests >= 0) && maxRecordedRequests !== Infinity) {
    throw new TypeError("options.maxRecordedRequests must be a whole number >= 0 or Infinity");
  }
  const privateNetworkAccess = options.privateNetworkAccess ?? SERVER_DEFAULTS.privateNetworkAccess;
  if (typeof privateNetworkAccess !== "boolean" || (privateNetworkAccess && (options.cors === undefined || options.cors === false))) {
    throw new TypeError("options.privateNetworkAccess must be a boolean, and true only with options.cors");
  }
  const onRequest = options.onRequest;
  if (onRequest !== undefined && typeof onRequest !== "function") {
    throw new TypeError("options.onRequest must be a function");
  }
  return Object.freeze({
    clientId: checkNonEmptyString(options.clientId ?? DEFAULT_CLIENT_ID, "options.clientId"),
    clientSecret: checkNonEmptyString(options.clientSecret ?? DEFAULT_CLIENT_SECRET, "options.clientSecret"),
    tokenLifetimeSeconds: checkLifetime(options.tokenLifetimeSeconds ?? SERVER_DEFAULTS.tokenLifetimeSeconds, "options.tokenLifetimeSeconds"),
    basePath: normalizeBasePath(options.basePath ?? SERVER_DEFAULTS.basePath),
    port,
    now,
    maxRecordedRequests,
    cors: resolveCors(options.cors),
    privateNetworkAccess,
    onRequest,
    specs: checkSpecs(options.specs ?? []),
  });
}

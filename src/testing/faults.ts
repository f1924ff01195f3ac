import { validateHeaderName, validateHeaderValue } from "node:http";

/** Answer with this status, body and headers instead of processing the token request. */
export interface StatusFault {
  /** Which fault this is. */
  readonly kind: "status";
  /** HTTP status, 200 to 599. */
  readonly status: number;
  /**
   * A string is sent as is (`text/plain` unless `headers` sets a content type); an object is sent
   * as JSON.
   * @default an OAuth-style JSON error: `{"error": ..., "error_description": ...}` for the status
   */
  readonly body?: string | object | undefined;
  /**
   * Extra response headers, for example `{ "Retry-After": "2" }`.
   * @default {}
   */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** Wait, then process the token request normally. */
export interface DelayFault {
  /** Which fault this is. */
  readonly kind: "delay";
  /** Milliseconds to wait before answering. */
  readonly ms: number;
}

/** Read the request and never answer; the connection stays open until the client gives up or `close()`. */
export interface HangFault {
  /** Which fault this is. */
  readonly kind: "hang";
}

/** Read the request, then reset the connection without any HTTP answer. */
export interface ResetFault {
  /** Which fault this is. */
  readonly kind: "reset";
}

/** Answer 200 `application/json` with a truncated, unparseable JSON body. */
export interface MalformedFault {
  /** Which fault this is. */
  readonly kind: "malformed";
}

/**
 * Answer 200 `application/json` with a huge, valid JSON token response, streamed in chunks. The
 * token in it is not registered: API calls with it get 401 and count as `unknownTokenCalls`.
 */
export interface OversizedFault {
  /** Which fault this is. */
  readonly kind: "oversized";
  /**
   * Exact size of the body in bytes (at least 1024).
   * @default 1048576 (1 MiB)
   */
  readonly bytes?: number | undefined;
  /**
   * Send a `Content-Length` header. Without it the body is chunked, so only a reader that counts
   * bytes as they arrive can stop early.
   * @default false
   */
  readonly declareLength?: boolean | undefined;
}

/** Answer with an HTML error page, as a proxy in front of the API does. */
export interface HtmlFault {
  /** Which fault this is. */
  readonly kind: "html";
  /**
   * HTTP status, 200 to 599.
   * @default 502
   */
  readonly status?: number | undefined;
}

/** A fault for the next token requests; see `TokenServer.inject`. */
export type Fault = StatusFault | DelayFault | HangFault | ResetFault | MalformedFault | OversizedFault | HtmlFault;

/** Options of `TokenServer.inject`. */
export interface InjectOptions {
  /**
   * How many requests in a row get this fault; `Infinity` until `clearFaults()`.
   * @default 1
   */
  times?: number | undefined;
  /**
   * Which requests get it: `"token"`, the token endpoint's; `"api"`, API calls (the status
   * endpoints and the operations of `options.specs`), before their token is checked, as a proxy in
   * front of the API would fail them. `malformed` and `oversized` then send a truncated and a huge
   * JSON body. Each has its own queue.
   * @default "token"
   */
  endpoint?: "token" | "api" | undefined;
}

export const DEFAULT_OVERSIZED_BYTES = 1024 * 1024;
export const MIN_OVERSIZED_BYTES = 1024;

function checkStatus(status: unknown, name: string): void {
  if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new TypeError(`${name} must be an integer HTTP status from 200 to 599`);
  }
}

/** A deep copy through JSON, so a later change to the caller's object has no effect. */
function jsonCopy(body: object): object {
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch (error) {
    throw new TypeError("fault.body cannot be serialized as JSON", { cause: error });
  }
  if (text === undefined) throw new TypeError("fault.body cannot be serialized as JSON");
  return JSON.parse(text) as object;
}

/** Checks a fault at the public boundary and returns a frozen copy, so a later change by the caller has no effect. */
export function checkFault(fault: unknown): Fault {
  if (typeof fault !== "object" || fault === null) throw new TypeError("fault must be an object");
  const f = fault as Partial<Record<string, unknown>>;
  switch (f["kind"]) {
    case "status": {
      checkStatus(f["status"], "fault.status");
      const body = f["body"];
      if (body !== undefined && typeof body !== "string" && (typeof body !== "object" || body === null)) {
        throw new TypeError("fault.body must be a string or an object");
      }
      const headers = f["headers"];
      if (headers !== undefined && (typeof headers !== "object" || headers === null)) {
        throw new TypeError("fault.headers must be an object of header names to string values");
      }
      const checked: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers ?? {})) {
        if (typeof value !== "string") throw new TypeError(`fault.headers[${JSON.stringify(name)}] must be a string`);
        validateHeaderName(name);
        validateHeaderValue(name, value);
        checked[name] = value;
      }
      return Object.freeze({
        kind: "status",
        status: f["status"] as number,
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : jsonCopy(body) }),
        headers: Object.freeze(checked),
      });
    }
    case "delay": {
      const ms = f["ms"];
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
        throw new TypeError("fault.ms must be a finite number of milliseconds >= 0");
      }
      return Object.freeze({ kind: "delay", ms });
    }
    case "hang":
    case "reset":
    case "malformed":
      return Object.freeze({ kind: f["kind"] });
    case "oversized": {
      const bytes = f["bytes"] ?? DEFAULT_OVERSIZED_BYTES;
      if (typeof bytes !== "number" || !Number.isSafeInteger(bytes) || bytes < MIN_OVERSIZED_BYTES) {
        throw new TypeError(`fault.bytes must be a whole number >= ${MIN_OVERSIZED_BYTES}`);
      }
      const declareLength = f["declareLength"] ?? false;
      if (typeof declareLength !== "boolean") throw new TypeError("fault.declareLength must be a boolean");
      return Object.freeze({ kind: "oversized", bytes, declareLength });
    }
    case "html": {
      const status = f["status"] ?? 502;
      checkStatus(status, "fault.status");
      return Object.freeze({ kind: "html", status: status as number });
    }
    default:
      throw new TypeError(
        'fault.kind must be one of "status", "delay", "hang", "reset", "malformed", "oversized", "html"',
      );
  }
}

/** Checks `endpoint`: "token" (the default) or "api". */
export function checkEndpoint(options: InjectOptions | undefined): "token" | "api" {
  const endpoint = options?.endpoint ?? "token";
  if (endpoint !== "token" && endpoint !== "api") throw new TypeError('options.endpoint must be "token" or "api"');
  return endpoint;
}

/** Checks `times`: a whole number >= 1, or Infinity. */
export function checkTimes(options: unknown): number {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError("inject options must be an object");
  }
  const times = (options as InjectOptions | undefined)?.times ?? 1;
  if (times !== Infinity && !(Number.isSafeInteger(times) && times >= 1)) {
    throw new TypeError("options.times must be a whole number >= 1 or Infinity");
  }
  return times;
}

/** Faults in the order they were injected, each for a number of token requests. */
export class FaultQueue {
  readonly #entries: { fault: Fault; remaining: number }[] = [];

  push(fault: Fault, times: number): void {
    this.#entries.push({ fault, remaining: times });
  }

  /** The fault for the next token request, if any; counts it down. */
  take(): Fault | undefined {
    const head = this.#entries[0];
    if (head === undefined) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.#entries.shift();
    return head.fault;
  }

  clear(): void {
    this.#entries.length = 0;
  }

  /** How many token requests are still to get a fault (Infinity when one is open-ended). */
  get pending(): number {
    return this.#entries.reduce((sum, entry) => sum + entry.remaining, 0);
  }
}

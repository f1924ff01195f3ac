import type { Fault } from "./faults.js";

/** Which endpoint a request was routed to (`spec`: an operation of a spec given in `options.specs`). */
export type RecordedEndpoint = "token" | "status-check" | "cells" | "spec" | "unknown";

/**
 * What happened to a request:
 * - `pending`: not answered yet (being read, delayed, or streaming);
 * - `answered`: a complete HTTP response was sent (`status` holds it);
 * - `hung`: a `hang` fault; never answered;
 * - `reset`: a `reset` fault; the connection was reset without an answer;
 * - `aborted`: the client closed the connection before the answer was complete.
 */
export type RequestOutcome = "pending" | "answered" | "hung" | "reset" | "aborted";

/** How the emulator judged the bearer token of an API call. */
export type AuthResult = "valid" | "missing" | "malformed" | "unknown" | "expired" | "revoked";

/** One request as the emulator saw it, with every secret redacted. */
export interface RecordedRequest {
  /** 1 for the first request the server received, then 2, 3, … */
  readonly seq: number;
  /** The HTTP method, as sent. */
  readonly method: string;
  /** The path without the query string, as sent (percent-encoded). */
  readonly path: string;
  /** The endpoint it was routed to. */
  readonly endpoint: RecordedEndpoint;
  /** Query parameters; secret-named ones hold `"[REDACTED]"`; repeated names are joined with ", ". */
  readonly query: Readonly<Record<string, string>>;
  /**
   * Request headers, lower-case names. `authorization` holds the scheme and a fingerprint
   * (`Bearer sha256:0123456789ab`), never the credential; cookies and other secrets hold `"[REDACTED]"`.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** Form fields of a token request sent as a form; `client_secret` holds `"[REDACTED]"`. */
  readonly form?: Readonly<Record<string, string>>;
  /** Size of the request body in bytes, as far as it was read. */
  readonly bodyBytes: number;
  /** When it arrived, in epoch milliseconds from the server's clock. */
  readonly receivedAt: number;
  /** The injected fault this request got, if any. */
  readonly fault?: Fault["kind"];
  /** How the bearer token of an API call was judged. */
  readonly auth?: AuthResult;
  /** What happened to it. */
  readonly outcome: RequestOutcome;
  /** The HTTP status sent; undefined while pending, and for hung or reset requests. */
  readonly status?: number;
}

/** The mutable record the server fills in while it handles a request. */
export type RequestRecord = { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] };

/** The most recent `limit` records, oldest first. */
export class RequestLog {
  readonly #limit: number;
  #records: RequestRecord[] = [];
  #seq = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Starts a record; the caller keeps filling it in. */
  add(record: Omit<RequestRecord, "seq">): RequestRecord {
    this.#seq += 1;
    const full: RequestRecord = { seq: this.#seq, ...record };
    if (this.#limit > 0) {
      this.#records.push(full);
      // Trim in batches so a full log costs O(1) per request on average.
      if (this.#records.length > this.#limit * 2 || (this.#limit < 1024 && this.#records.length > this.#limit)) {
        this.#records = this.#records.slice(-this.#limit);
      }
    }
    return full;
  }

  /** A frozen snapshot of the kept records; later changes to a record do not show in it. */
  snapshot(): readonly RecordedRequest[] {
    const kept = this.#records.length > this.#limit ? this.#records.slice(-this.#limit) : this.#records;
    return Object.freeze(kept.map(frozenCopy));
  }

  clear(): void {
    this.#records = [];
  }
}

/** A frozen copy of a record; later changes to the record do not show in it. */
export function frozenCopy(record: RequestRecord): RecordedRequest {
  return Object.freeze({
    ...record,
    query: Object.freeze({ ...record.query }),
    headers: Object.freeze({ ...record.headers }),
    ...(record.form === undefined ? {} : { form: Object.freeze({ ...record.form }) }),
  });
}

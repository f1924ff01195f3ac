import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { inspect } from "node:util";
import { authenticate, sendCellsStatus, sendStatusCheck, sendUnauthorized } from "./api-endpoints.js";
import { answerCors } from "./cors.js";
import { Credentials } from "./credentials.js";
import {
  serveHtmlFault,
  serveMalformedFault,
  serveOversizedFault,
  serveStatusFault,
} from "./fault-responses.js";
import { MAX_API_BODY_BYTES, readApiBody, sendAsposeError, sendResponse, sendSpecAnswer, toRequest } from "./api-answers.js";
import { checkEndpoint, checkFault, checkTimes, FaultQueue, type Fault, type InjectOptions } from "./faults.js";
import { readBody, sendJson, sendOAuthError, writable } from "./http-util.js";
import { checkLifetime, type ResolvedOptions } from "./options.js";
import { Redactor, REDACTED } from "./redact.js";
import { frozenCopy, RequestLog, type RecordedEndpoint, type RecordedRequest, type RequestRecord } from "./request-log.js";
import { isForm, judgeTokenRequest } from "./token-request.js";
import { TokenRegistry } from "./token-registry.js";
import type { SpecBackend, SpecMatch, SpecRequest } from "./spec-backend.js";
import type { RequestHandler, TokenServer, TokenServerStats } from "./server-types.js";

/** The shipped API endpoints `handle()` can override besides the specs' operations. */
const SHIPPED_OPERATIONS = ["GET /cells/status/check", "GET /cells"];

/** An API call the emulator serves: a shipped endpoint, or an operation of a spec. */
type ApiCall = { readonly kind: "shipped"; readonly endpoint: "status-check" | "cells" } | { readonly kind: "spec"; readonly match: SpecMatch & { kind: "operation" } };

type MutableStats = { -readonly [K in keyof TokenServerStats]: TokenServerStats[K] };

/** The running emulator behind {@link TokenServer}; all state is private to the instance. */
export class EmulatorServer implements TokenServer {
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly port: number;
  readonly clientId: string;

  readonly #server: Server;
  readonly #options: Omit<ResolvedOptions, "clientSecret">;
  readonly #credentials: Credentials;
  readonly #redactor: Redactor;
  readonly #registry: TokenRegistry;
  readonly #faults = new FaultQueue();
  readonly #apiFaults = new FaultQueue();
  readonly #specs: SpecBackend | undefined;
  readonly #handlers = new Map<string, RequestHandler>();
  readonly #log: RequestLog;
  readonly #sockets = new Set<Socket>();
  readonly #delays = new Set<() => void>();
  readonly #startedAt: number;
  readonly #stats: MutableStats = {
    tokenRequests: 0,
    tokensIssued: 0,
    faultsServed: 0,
    apiCalls: 0,
    apiCallsRejected: 0,
    expiredTokenCalls: 0,
    unknownTokenCalls: 0,
    revokedTokenCalls: 0,
    missingTokenCalls: 0,
  };
  #lifetimeSeconds: number;
  #closing: Promise<void> | undefined;

  constructor(server: Server, port: number, options: ResolvedOptions, specs?: SpecBackend) {
    const { clientSecret, ...rest } = options;
    this.#server = server;
    this.#specs = specs;
    this.#options = rest;
    this.#credentials = new Credentials(options.clientId, clientSecret);
    this.#redactor = new Redactor(clientSecret);
    this.#log = new RequestLog(options.maxRecordedRequests);
    this.#lifetimeSeconds = options.tokenLifetimeSeconds;
    this.#startedAt = options.now();
    this.port = port;
    this.clientId = options.clientId;
    this.baseUrl = `http://127.0.0.1:${port}${options.basePath}`;
    this.tokenUrl = `${this.baseUrl}/cells/connect/token`;
    this.#registry = new TokenRegistry(`http://127.0.0.1:${port}`);
    server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
      if (this.#closing !== undefined) socket.destroy();
    });
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.#handle(req, res).catch(() => {
        // A bug or a throwing clock: answer 500 if possible, never crash the test process.
        if (!res.headersSent && writable(res)) {
          sendJson(res, 500, { error: "server_error", error_description: "The emulator failed." });
        } else {
          res.destroy();
        }
      });
    });
  }

  get tokenLifetimeSeconds(): number {
    return this.#lifetimeSeconds;
  }

  get requests(): readonly RecordedRequest[] {
    return this.#log.snapshot();
  }

  get stats(): TokenServerStats {
    return Object.freeze({ ...this.#stats });
  }

  get faultsPending(): number {
    return this.#faults.pending + this.#apiFaults.pending;
  }

  inject(fault: Fault, options?: InjectOptions): void {
    const times = checkTimes(options);
    const queue = checkEndpoint(options) === "api" ? this.#apiFaults : this.#faults;
    queue.push(checkFault(fault), times);
  }

  clearFaults(): void {
    this.#faults.clear();
    this.#apiFaults.clear();
  }

  handle(method: string, path: string, handler: RequestHandler): () => void {
    if (typeof method !== "string" || typeof path !== "string") throw new TypeError("handle(method, path, handler) takes a method and a path template");
    if (typeof handler !== "function") throw new TypeError("handler must be a function from a Request to a Response");
    const key = `${method.toUpperCase()} ${path}`;
    const served = [...SHIPPED_OPERATIONS, ...(this.#specs?.operations ?? [])];
    if (!served.includes(key)) {
      const hint = this.#specs === undefined ? " (give the spec that defines it in options.specs)" : "";
      throw new TypeError(`handle(): the server does not serve ${key}${hint}; it serves ${served.join(", ")}`);
    }
    this.#handlers.set(key, handler);
    return () => {
      if (this.#handlers.get(key) === handler) this.#handlers.delete(key);
    };
  }

  revoke(token: string): boolean {
    if (typeof token !== "string") throw new TypeError("token must be a string");
    return this.#registry.revoke(token);
  }

  revokeAll(): number {
    return this.#registry.revokeAll();
  }

  setTokenLifetime(seconds: number): void {
    this.#lifetimeSeconds = checkLifetime(seconds, "seconds");
  }

  clearRequests(): void {
    this.#log.clear();
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      for (const cancel of this.#delays) cancel();
      this.#delays.clear();
      this.#server.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
    });
    return this.#closing;
  }

  /** What `JSON.stringify(server)` shows: no secret, no token. */
  toJSON(): Record<string, unknown> {
    return {
      baseUrl: this.baseUrl,
      clientId: this.clientId,
      clientSecret: REDACTED,
      tokenLifetimeSeconds: this.#lifetimeSeconds,
      stats: this.stats,
      recordedRequests: this.#log.snapshot().length,
      faultsPending: this.faultsPending,
      closed: this.#closing !== undefined,
    };
  }

  [inspect.custom](_depth: number, options: Parameters<typeof inspect>[1]): string {
    return `TokenServer ${inspect(this.toJSON(), options)}`;
  }

  /** Waits `ms`; resolves false instead when the server closes first. */
  #sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const cancel = (): void => {
        clearTimeout(timer);
        this.#delays.delete(cancel);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.#delays.delete(cancel);
        resolve(true);
      }, ms);
      this.#delays.add(cancel);
    });
  }

  /** Hands a settled request to `onRequest`; a listener that throws does not break the server. */
  #settled(record: RequestRecord): void {
    try {
      this.#options.onRequest?.(frozenCopy(record));
    } catch {
      // Ignored, as documented.
    }
  }

  #route(pathname: string): RecordedEndpoint {
    const base = this.#options.basePath;
    if (pathname === `${base}/cells/connect/token`) return "token";
    if (pathname === `${base}/cells/status/check`) return "status-check";
    if (pathname === `${base}/cells`) return "cells";
    if (this.#specs !== undefined && pathname.startsWith(`${base}/`) && this.#specs.match("GET", pathname.slice(base.length)).kind !== "none") return "spec";
    return "unknown";
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? "/";
    const url = new URL(rawUrl.startsWith("/") ? `http://127.0.0.1${rawUrl}` : rawUrl);
    const endpoint = this.#route(url.pathname);
    const record = this.#log.add({
      method: req.method ?? "GET",
      path: this.#redactor.scrub(url.pathname),
      endpoint,
      query: this.#redactor.params(url.searchParams),
      headers: this.#redactor.headers(req.headers),
      bodyBytes: 0,
      receivedAt: this.#options.now(),
      outcome: "pending",
    });
    res.once("finish", () => {
      if (record.outcome !== "pending") return;
      record.outcome = "answered";
      record.status = res.statusCode;
    });
    res.once("close", () => {
      if (record.outcome === "pending") {
        record.outcome = "aborted";
        if (res.headersSent) record.status = res.statusCode;
      }
      this.#settled(record);
    });

    if (this.#options.cors !== undefined && answerCors(req, res, this.#options.cors, this.#options.privateNetworkAccess)) {
      req.resume();
      return;
    }
    if (endpoint === "token") return this.#token(req, res, record, url);
    if (endpoint === "spec") {
      const match = (this.#specs as SpecBackend).match(req.method ?? "GET", url.pathname.slice(this.#options.basePath.length));
      if (match.kind === "operation") return this.#api(req, res, record, url, { kind: "spec", match });
      req.resume();
      req.on("error", () => {});
      const allowed = match.kind === "method" ? match.allowed.join(", ") : "";
      sendJson(res, 405, { error: "method_not_allowed", error_description: `Use ${allowed}.` }, { allow: allowed });
      return;
    }
    req.resume();
    req.on("error", () => {});
    if (endpoint === "unknown") {
      sendJson(res, 404, { error: "not_found", error_description: "No such endpoint." });
      return;
    }
    if (req.method !== "GET") {
      sendJson(res, 405, { error: "method_not_allowed", error_description: "Use GET." }, { allow: "GET" });
      return;
    }
    return this.#api(req, res, record, url, { kind: "shipped", endpoint });
  }

  async #token(req: IncomingMessage, res: ServerResponse, record: RequestRecord, url: URL): Promise<void> {
    if (req.method !== "POST") {
      req.resume();
      req.on("error", () => {});
      sendJson(res, 405, { error: "method_not_allowed", error_description: "Use POST." }, { allow: "POST" });
      return;
    }
    this.#stats.tokenRequests += 1;
    const fault = this.#faults.take();
    if (fault !== undefined) {
      record.fault = fault.kind;
      this.#stats.faultsServed += 1;
    }
    let body: Awaited<ReturnType<typeof readBody>>;
    try {
      body = await readBody(req);
    } catch {
      return; // The client went away; the "close" listener records it.
    }
    record.bodyBytes = body.bytes;
    const contentType = req.headers["content-type"];
    if (body.text !== undefined && isForm(contentType)) {
      record.form = this.#redactor.params(new URLSearchParams(body.text));
    }

    if (fault !== undefined) {
      switch (fault.kind) {
        case "hang":
          record.outcome = "hung"; // Never answered; close() or the client ends the connection.
          return;
        case "reset": {
          record.outcome = "reset";
          const socket = req.socket;
          if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
          else socket.destroy();
          return;
        }
        case "delay":
          if (!(await this.#sleep(fault.ms)) || !writable(res)) return;
          break; // Then the normal processing below.
        case "status":
          serveStatusFault(res, fault);
          return;
        case "html":
          serveHtmlFault(res, fault);
          return;
        case "malformed":
          serveMalformedFault(res, fault, this.#unregisteredToken());
          return;
        case "oversized":
          await serveOversizedFault(res, fault, this.#unregisteredToken(), this.#lifetimeSeconds);
          return;
      }
    }

    const verdict = judgeTokenRequest({ query: url.searchParams, contentType, body: body.text }, this.#credentials);
    if (!verdict.ok) {
      sendOAuthError(res, verdict.status, verdict.error, verdict.description);
      return;
    }
    const lifetime = this.#lifetimeSeconds;
    const token = this.#registry.create(verdict.clientId, this.#options.now(), lifetime);
    this.#stats.tokensIssued += 1;
    sendJson(
      res,
      200,
      { access_token: token, token_type: "Bearer", expires_in: lifetime },
      { "cache-control": "no-store", pragma: "no-cache" },
    );
  }

  #unregisteredToken(): string {
    return this.#registry.create(this.clientId, this.#options.now(), this.#lifetimeSeconds, false);
  }

  /**
   * An API call: its fault (if one is queued for API calls), then the bearer token (401 as for the
   * status endpoint), then for a spec operation the request against the spec (400), then the
   * answer: a handler's, the spec's, or the shipped endpoint's.
   */
  async #api(req: IncomingMessage, res: ServerResponse, record: RequestRecord, url: URL, call: ApiCall): Promise<void> {
    this.#stats.apiCalls += 1;
    let body: Uint8Array | undefined = new Uint8Array();
    if (call.kind === "spec") {
      try {
        body = await readApiBody(req);
      } catch {
        return; // The client went away; the "close" listener records it.
      }
      record.bodyBytes = body?.byteLength ?? 0;
    }
    const fault = this.#apiFaults.take();
    if (fault !== undefined) {
      record.fault = fault.kind;
      this.#stats.faultsServed += 1;
      if (!(await this.#serveApiFault(req, res, record, fault))) return;
    }
    const now = this.#options.now();
    const auth = authenticate(req.headers.authorization, this.#registry, now);
    record.auth = auth;
    if (auth !== "valid") {
      this.#stats.apiCallsRejected += 1;
      if (auth === "expired") this.#stats.expiredTokenCalls += 1;
      else if (auth === "revoked") this.#stats.revokedTokenCalls += 1;
      else if (auth === "unknown") this.#stats.unknownTokenCalls += 1;
      else this.#stats.missingTokenCalls += 1;
      sendUnauthorized(res, auth);
      return;
    }
    const requestId = `emulator-${record.seq}`;
    if (body === undefined) {
      sendAsposeError(res, 413, `The request body is larger than the emulator takes (${MAX_API_BODY_BYTES / 1024 / 1024} MiB).`, now, requestId);
      return;
    }
    const sub = url.pathname.slice(this.#options.basePath.length);
    const specRequest: SpecRequest = { method: req.method ?? "GET", path: sub, query: url.searchParams, headers: flatHeaders(req.headers), body };
    if (call.kind === "spec") {
      const violation = call.match.handle.check(specRequest);
      if (violation !== undefined) {
        sendAsposeError(res, violation.status, `${call.match.method} ${call.match.pathTemplate}: ${violation.message}.`, now, requestId);
        return;
      }
    }
    const key = call.kind === "spec" ? `${call.match.method} ${call.match.pathTemplate}` : `GET ${sub}`;
    const handler = this.#handlers.get(key);
    if (handler !== undefined) {
      await this.#answerWith(handler, key, toRequest(req, new URL(`${url.pathname}${url.search}`, `http://127.0.0.1:${this.port}`), body), res, now, requestId);
    } else if (call.kind === "spec") {
      sendSpecAnswer(res, call.match.handle.answer(specRequest));
    } else if (call.endpoint === "status-check") {
      sendStatusCheck(res, now, url.searchParams.get("detail"), this.#startedAt);
    } else {
      sendCellsStatus(res);
    }
  }

  /** Answers with a handler's Response; 500 when it throws or gives something else. */
  async #answerWith(handler: RequestHandler, key: string, request: Request, res: ServerResponse, now: number, requestId: string): Promise<void> {
    let response: unknown;
    try {
      response = await handler(request);
    } catch (error) {
      const what = error instanceof Error ? `${error.name}: ${error.message}` : "a non-Error value";
      sendAsposeError(res, 500, `The handler for ${key} threw (${this.#redactor.scrub(what)}).`, now, requestId);
      return;
    }
    if (!(response instanceof Response)) {
      sendAsposeError(res, 500, `The handler for ${key} returned something else than a Response.`, now, requestId);
      return;
    }
    await sendResponse(res, response);
  }

  /** Serves an API fault; true when the call is then processed normally (after a `delay`). */
  async #serveApiFault(req: IncomingMessage, res: ServerResponse, record: RequestRecord, fault: Fault): Promise<boolean> {
    switch (fault.kind) {
      case "hang":
        record.outcome = "hung";
        return false;
      case "reset": {
        record.outcome = "reset";
        const socket = req.socket;
        if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
        else socket.destroy();
        return false;
      }
      case "delay":
        return (await this.#sleep(fault.ms)) && writable(res);
      case "status":
        serveStatusFault(res, fault);
        return false;
      case "html":
        serveHtmlFault(res, fault);
        return false;
      case "malformed":
        serveMalformedFault(res, fault, this.#unregisteredToken());
        return false;
      case "oversized":
        await serveOversizedFault(res, fault, this.#unregisteredToken(), this.#lifetimeSeconds);
        return false;
    }
  }
}

/** Request headers as single strings (repeated ones joined with ", "), lower-case names. */
function flatHeaders(headers: IncomingMessage["headers"]): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : value]));
}

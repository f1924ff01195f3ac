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
import { checkFault, checkTimes, FaultQueue, type Fault, type InjectOptions } from "./faults.js";
import { readBody, sendJson, sendOAuthError, writable } from "./http-util.js";
import { checkLifetime, type ResolvedOptions } from "./options.js";
import { Redactor, REDACTED } from "./redact.js";
import { frozenCopy, RequestLog, type RecordedEndpoint, type RecordedRequest, type RequestRecord } from "./request-log.js";
import { isForm, judgeTokenRequest } from "./token-request.js";
import { TokenRegistry } from "./token-registry.js";
import type { TokenServer, TokenServerStats } from "./server-types.js";

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

  constructor(server: Server, port: number, options: ResolvedOptions) {
    const { clientSecret, ...rest } = options;
    this.#server = server;
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
    return this.#faults.pending;
  }

  inject(fault: Fault, options?: InjectOptions): void {
    const times = checkTimes(options);
    this.#faults.push(checkFault(fault), times);
  }

  clearFaults(): void {
    this.#faults.clear();
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
    this.#api(req, res, record, endpoint, url);
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

  #api(req: IncomingMessage, res: ServerResponse, record: RequestRecord, endpoint: RecordedEndpoint, url: URL): void {
    this.#stats.apiCalls += 1;
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
    if (endpoint === "status-check") sendStatusCheck(res, now, url.searchParams.get("detail"), this.#startedAt);
    else sendCellsStatus(res);
  }
}

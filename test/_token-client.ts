// What the token client's specs share (outside the spec glob): virtual time, and a client against
// a scripted token endpoint on 127.0.0.1 that reports its events.
import { createTokenClient, type TokenClient, type TokenClientOptions, type TokenEvent } from "../src/index.js";
import { startScriptedServer, tokenHandler, type ScriptedServer } from "./_http.js";

export const HOUR_S = 3600;

/**
 * Two clocks the test moves by hand: `advance` is time passing (both move), `stepWall` is the wall
 * clock alone jumping (NTP, a resumed VM), which must decide nothing but `expiresAt`.
 */
export interface VirtualTime {
  /** The wall clock, epoch milliseconds: a client's `now`. */
  readonly now: () => number;
  /** The monotonic clock: a client's `monotonicNow`. */
  readonly monotonicNow: () => number;
  advance(ms: number): void;
  /** Time passes until the wall clock reads `wallMs` (never backwards). */
  advanceTo(wallMs: number): void;
  stepWall(ms: number): void;
}

export function virtualTime(start = Date.UTC(2026, 0, 1)): VirtualTime {
  let wall = start;
  let monotonic = 0;
  return {
    now: () => wall,
    monotonicNow: () => monotonic,
    advance(ms) {
      wall += ms;
      monotonic += ms;
    },
    advanceTo(wallMs) {
      if (wallMs < wall) throw new Error(`advanceTo(${wallMs}) would turn time back`);
      this.advance(wallMs - wall);
    },
    stepWall(ms) {
      wall += ms;
    },
  };
}

export interface ClientBench {
  readonly server: ScriptedServer;
  readonly time: VirtualTime;
  readonly events: TokenEvent[];
  /** A token client for the scripted server, on virtual time, reporting into `events`. */
  client(options?: TokenClientOptions): TokenClient;
  eventsOf<T extends TokenEvent["type"]>(type: T): Extract<TokenEvent, { type: T }>[];
}

/**
 * Registers mocha hooks that give each test a fresh bench: the server answers `token-<n>` tokens
 * of an hour, the client does not retry (`retry` overrides that).
 */
export function useClientBench(retry: TokenClientOptions["retry"] = { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 20 }): ClientBench {
  let server: ScriptedServer | undefined;
  let time = virtualTime();
  let events: TokenEvent[] = [];
  beforeEach(async () => {
    server = await startScriptedServer(tokenHandler(HOUR_S));
    time = virtualTime();
    events = [];
  });
  afterEach(() => server?.close());
  return {
    get server() {
      return server!;
    },
    get time() {
      return time;
    },
    get events() {
      return events;
    },
    client: (options = {}) =>
      createTokenClient({
        clientId: "id",
        clientSecret: "secret",
        baseUrl: server!.baseUrl,
        now: time.now,
        monotonicNow: time.monotonicNow,
        retry,
        onEvent: (event) => events.push(event),
        ...options,
      }),
    eventsOf: <T extends TokenEvent["type"]>(type: T) => events.filter((event): event is Extract<TokenEvent, { type: T }> => event.type === type),
  };
}

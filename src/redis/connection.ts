import { createClient } from "redis";
import { RedisTokenStoreError } from "./errors.js";
import { sendRaw, type ClientTarget } from "./clients.js";
import { REDIS_STORE_DEFAULTS, type CheckedTarget, type RedisClientLike, type ResolvedRedisTokenStoreOptions } from "./options.js";

/** Redis calls with a deadline each, that fail at once while disconnected. */
export interface RedisConnection {
  /**
   * Sends one command (on a cluster, to the master of `key`'s slot); rejects with a
   * `RedisTokenStoreError` after `commandTimeoutMs` at the latest.
   */
  call(args: readonly string[], key: string): Promise<unknown>;
  readonly isReady: boolean;
  /** Resolves when the calls pending now have settled (each is bounded by `commandTimeoutMs`). */
  drain(): Promise<void>;
  /** Closes the client if the store created it. */
  close(): Promise<void>;
}

/**
 * Wraps the client of `target`. node-redis's own per-command `timeout` only covers the time a
 * command waits to be written: once sent, a stalled server keeps it pending. So every call here
 * races its own timer. A client the store created also has `disableOfflineQueue` (commands fail at
 * once while it reconnects) and is waited for, within the same deadline, while it first connects.
 */
export function connect(target: CheckedTarget, options: ResolvedRedisTokenStoreOptions): RedisConnection {
  const report = (error: RedisTokenStoreError) => {
    try {
      options.onError?.(error);
    } catch {
      // The listener's failure is its own.
    }
  };
  const owned = "url" in target;
  const given: ClientTarget = owned ? { kind: "client", client: createOwnedClient(target.url, report) } : target;
  const { client } = given;
  const firstReady = given.kind === "client" && owned ? whenFirstReady(given.client) : undefined;

  async function ready(): Promise<void> {
    if (client.isReady) return;
    if (firstReady && (await firstReady)) return;
    throw new RedisTokenStoreError("unavailable", "Redis is not connected (the client is connecting or reconnecting).");
  }

  const pending = new Set<Promise<unknown>>();

  function call(args: readonly string[], key: string): Promise<unknown> {
    const sent = send(args, key);
    pending.add(sent);
    const forget = () => pending.delete(sent);
    sent.then(forget, forget);
    return sent;
  }

  async function drain(): Promise<void> {
    await Promise.allSettled([...pending]);
  }

  async function send(args: readonly string[], key: string): Promise<unknown> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RedisTokenStoreError("timeout", `Redis did not answer ${args[0]} within ${options.commandTimeoutMs} ms.`)),
        options.commandTimeoutMs,
      );
    });
    try {
      return await Promise.race([ready().then(() => sendRaw(given, args, key)), deadline]);
    } catch (caught) {
      const error = caught instanceof RedisTokenStoreError ? caught : new RedisTokenStoreError("command", `Redis ${args[0]} failed: ${messageOf(caught)}${hint(caught)}`, { cause: caught });
      report(error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async function close(): Promise<void> {
    if (!owned || !client.isOpen) return;
    const closable = client as RedisClientLike & { close(): Promise<void>; destroy(): void };
    if (!client.isReady) return closable.destroy();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), options.commandTimeoutMs)));
    const outcome = await Promise.race([closable.close().catch(() => "late" as const), late]);
    clearTimeout(timer);
    if (outcome === "late" && client.isOpen) closable.destroy();
  }

  return {
    call,
    get isReady() {
      return client.isReady;
    },
    drain,
    close,
  };
}

function createOwnedClient(url: string, report: (error: RedisTokenStoreError) => void): RedisClientLike {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      reconnectStrategy: (retries: number) =>
        Math.min(50 * 2 ** Math.min(retries, 10), REDIS_STORE_DEFAULTS.maxReconnectDelayMs) + Math.floor(Math.random() * 50),
    },
  });
  // A client without an error listener would crash the process when Redis goes away.
  client.on("error", (error: unknown) => report(new RedisTokenStoreError("unavailable", `Redis connection: ${messageOf(error)}`, { cause: error })));
  client.connect().catch(() => {
    // Rejects only when closed while connecting; the error listener heard about failures.
  });
  return client as unknown as RedisClientLike;
}

/** Resolves true when the first connection is ready, false when it failed first (reconnects go on; calls fail fast meanwhile). */
function whenFirstReady(client: RedisClientLike): Promise<boolean> {
  if (client.isReady) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      client.off("ready", onReady);
      client.off("error", onError);
      client.off("end", onError);
      resolve(ok);
    };
    const onReady = done(true);
    const onError = done(false);
    client.once("ready", onReady);
    client.once("error", onError);
    client.once("end", onError);
  });
}

/** What to do about an answer that means the client is of the wrong kind. */
function hint(error: unknown): string {
  return /^(MOVED|ASK|CROSSSLOT) /.test(messageOf(error)) ? " (this server is part of a Redis Cluster: pass a createCluster() client)" : "";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

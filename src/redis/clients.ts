import { CellsAuthError } from "../errors.js";
import type { RedisClientLike, RedisClusterLike, RedisSentinelLike } from "./options.js";

/** A client the store was given, of a kind it can use, with how to send it one command. */
export type ClientTarget =
  | { readonly kind: "client"; readonly client: RedisClientLike }
  | { readonly kind: "cluster"; readonly client: RedisClusterLike }
  | { readonly kind: "sentinel"; readonly client: RedisSentinelLike };

/**
 * Per-command options the store passes: the default reply types, whatever `typeMapping` the
 * client was given (with bulk strings as Buffers, a stored token would read as absent forever).
 */
const RAW = Object.freeze({ typeMapping: Object.freeze({}) });

type Send = (...args: unknown[]) => Promise<unknown>;

/**
 * Sends one command through `target`'s client. On a cluster it goes to the master of `key`'s
 * slot; on Sentinel, to the master; `isReadonly` is false on both, so never to a replica (which
 * may not have the last write yet).
 */
export function sendRaw(target: ClientTarget, args: readonly string[], key: string | undefined): Promise<unknown> {
  const send = target.client.sendCommand.bind(target.client) as Send;
  switch (target.kind) {
    case "cluster":
      return send(key, false, args, RAW);
    case "sentinel":
      return send(false, args, RAW);
    default:
      return send(args, RAW);
  }
}

const SUPPORTED = "createClient(), createCluster() or createSentinel() of the redis package (node-redis 6)";

/** Which kind of node-redis client `value` is; throws `invalid_config` for anything the store cannot use correctly. */
export function checkClient(value: unknown): ClientTarget {
  let kind: string;
  try {
    kind = kindOf(value);
  } catch {
    kind = "unknown"; // a getter or Proxy that throws
  }
  switch (kind) {
    case "client":
    case "cluster":
    case "sentinel":
      return { kind, client: value } as ClientTarget;
    case "sentinel lease":
      throw new CellsAuthError("invalid_config", "client is a lease from a Sentinel client's acquire(), which ends when released: pass the Sentinel client itself (createSentinel()).");
    case "pool":
      throw new CellsAuthError("invalid_config", `client is a client pool, which the store cannot use: pass ${SUPPORTED}.`);
    default:
      throw new CellsAuthError("invalid_config", `client must be a node-redis client: ${SUPPORTED}.`);
  }
}

function kindOf(value: unknown): string {
  if (typeof value !== "object" || value === null) return "unknown";
  const c = value as Record<string, unknown>;
  const has = (name: string) => typeof c[name] === "function";
  const ready = typeof c["isReady"] === "boolean";
  if (!has("sendCommand")) return "unknown";
  if (has("nodeClient") && has("getSlotRandomNode")) return ready ? "cluster" : "unknown";
  if (has("getMasterNode") && has("acquire")) return ready ? "sentinel" : "unknown";
  if (has("release") && !has("once")) return "sentinel lease";
  if (has("execute") && !ready) return "pool";
  return ready && has("once") && has("off") ? "client" : "unknown";
}

import { CellsAuthError, isCellsAuthError } from "../errors.js";
import { duration } from "../util/checks.js";
import { errorMessage } from "./events.js";
import type { TokenStore, TokenStoreBinding } from "../store/token-store.js";

/**
 * The store a token client uses: none when none is given (the client keeps its token itself), else
 * the given one, bound with `binding` when it asks (`bind`: a key derived from the client secret,
 * for encryption at rest). Its methods are read once, here: a store is outside code, and a getter
 * that throws later must not reach callers. What `bind` throws is quoted through `redact`.
 */
export function bindStore(store: unknown, binding: TokenStoreBinding, redact: (text: string) => string): TokenStore | undefined {
  if (store === undefined) return undefined;
  const methods = (value: unknown) => (typeof value === "object" && value !== null ? value : {}) as Partial<TokenStore>;
  let view: unknown = store;
  try {
    const { bind } = methods(store);
    if (typeof bind === "function") view = bind.call(store, binding);
  } catch (error) {
    throw new CellsAuthError("invalid_config", `store.bind() failed: ${redact(errorMessage(error))}`);
  }
  try {
    const { get, set, delete: remove, lease, leaseWaitMs } = methods(view);
    if (typeof get === "function" && typeof set === "function" && typeof remove === "function" && (lease === undefined || typeof lease === "function")) {
      return Object.freeze({
        get: get.bind(view),
        set: set.bind(view),
        delete: remove.bind(view),
        ...(lease ? { lease: lease.bind(view), leaseWaitMs: duration(leaseWaitMs, "store.leaseWaitMs", 0, 0) } : {}),
      });
    }
  } catch (error) {
    if (isCellsAuthError(error)) throw error;
  }
  throw new CellsAuthError("invalid_config", "store (and what its bind() returns) must have get, set and delete methods, and lease, if any, a method.");
}

import { isAccessToken, type AccessToken } from "./access-token.js";
import { emit, errorMessage, type TokenEventListener } from "./events.js";
import type { LeaseResult, TokenLease, TokenStore } from "./token-store.js";

/** What `fetchOnce` needs from the token client. */
export interface SharedFetchContext {
  readonly store: TokenStore;
  readonly key: string;
  readonly onEvent: TokenEventListener | undefined;
  /** Would this token, stored by another process meanwhile, do instead of requesting one? */
  accept(token: AccessToken): boolean;
  /** This process's token request. */
  request(): Promise<AccessToken>;
  /** Writes the token to the store; never rejects (a failure is a `store_error` event). */
  save(token: AccessToken): Promise<void>;
}

/**
 * Requests a token and stores it. With a store that has `lease`, once for every process that
 * shares the store: the lease holder requests, stores, then releases; the others get what it
 * stored. Any failure of the store, or a wait that runs out, falls back to requesting alone.
 */
export async function fetchOnce(context: SharedFetchContext): Promise<AccessToken> {
  const { store, key, onEvent } = context;
  if (!store.lease) return requestAlone(context);
  let result: LeaseResult;
  try {
    result = await store.lease(key, context.accept);
  } catch (error) {
    emit(onEvent, { type: "store_error", operation: "lease", message: errorMessage(error) });
    return requestAlone(context);
  }
  switch (result.status) {
    case "shared":
      // A store is outside code: check what it hands back before trusting it.
      if (!isAccessToken(result.token) || !context.accept(result.token)) return requestAlone(context);
      emit(onEvent, { type: "store_lease", outcome: "shared" });
      return result.token;
    case "acquired":
      emit(onEvent, { type: "store_lease", outcome: "acquired" });
      return requestAsHolder(context, result.lease);
    default:
      emit(onEvent, { type: "store_lease", outcome: "timeout" });
      return requestAlone(context);
  }
}

async function requestAlone(context: SharedFetchContext): Promise<AccessToken> {
  const token = await context.request();
  void context.save(token);
  return token;
}

/** The callers get the token at once; storing it, then releasing the lease, go on in the background. */
async function requestAsHolder(context: SharedFetchContext, lease: TokenLease): Promise<AccessToken> {
  let token: AccessToken;
  try {
    token = await context.request();
  } catch (error) {
    void release(lease, context.onEvent); // the others take over now rather than when the lease expires
    throw error;
  }
  void context.save(token).then(() => release(lease, context.onEvent));
  return token;
}

async function release(lease: TokenLease, onEvent: TokenEventListener | undefined): Promise<void> {
  try {
    await lease.release();
  } catch (error) {
    emit(onEvent, { type: "store_error", operation: "release", message: errorMessage(error) });
  }
}

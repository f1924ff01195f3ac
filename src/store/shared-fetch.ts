import { readAccessToken, type AccessToken } from "../token/access-token.js";
import { emit, errorMessage, type TokenEventListener } from "../token/events.js";
import { withDeadline } from "../util/signals.js";
import type { TokenLease, TokenStore } from "./token-store.js";

/** What `fetchOnce` needs from the token client. */
export interface SharedFetchContext {
  readonly store: TokenStore;
  readonly key: string;
  readonly onEvent: TokenEventListener | undefined;
  /** Longest wait for `store.lease`: a store that never answers must not hang the callers. */
  readonly deadlineMs: number;
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
  const leasing = Promise.resolve().then(() => store.lease!(key, context.accept));
  let outcome: Outcome;
  try {
    outcome = readOutcome(await withDeadline(() => leasing, context.deadlineMs, "store.lease"));
  } catch (error) {
    // A lease granted after the deadline is given back at once: nobody will fetch under it.
    leasing.then((late) => {
      const lease = readOutcome(late);
      if (lease.status === "acquired") void release(lease.lease, onEvent);
    }).catch(() => undefined);
    emit(onEvent, { type: "store_error", operation: "lease", message: errorMessage(error) });
    return requestAlone(context);
  }
  // A store is outside code: check what it hands back before trusting it.
  if (outcome.status === "shared" && outcome.token && context.accept(outcome.token)) {
    emit(onEvent, { type: "store_lease", outcome: "shared" });
    return outcome.token;
  }
  if (outcome.status === "acquired") {
    emit(onEvent, { type: "store_lease", outcome: "acquired" });
    return requestAsHolder(context, outcome.lease);
  }
  if (outcome.status !== "shared") emit(onEvent, { type: "store_lease", outcome: "timeout" });
  return requestAlone(context);
}

type Outcome = { status: "acquired"; lease: TokenLease } | { status: "shared"; token: AccessToken | undefined } | { status: "other" };

/** What a store's `lease()` resolved to, read once and checked: anything malformed counts as no lease. */
function readOutcome(result: unknown): Outcome {
  const { status, lease, token } = (typeof result === "object" && result !== null ? result : {}) as { status?: unknown; lease?: unknown; token?: unknown };
  if (status === "acquired" && typeof lease === "object" && lease !== null) return { status, lease: lease as TokenLease };
  if (status === "shared") return { status, token: readAccessToken(token) };
  return { status: "other" };
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

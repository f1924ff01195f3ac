/**
 * A validated access token. The ones a token client hands out are frozen: they are shared by
 * every caller.
 */
export interface AccessToken {
  /** The bearer token. */
  readonly accessToken: string;
  /** Always "Bearer" (the server's spelling is normalized). */
  readonly tokenType: "Bearer";
  /** Lifetime in seconds, as granted. */
  readonly expiresIn: number;
  /**
   * Epoch milliseconds at which it expires on this host's wall clock, counted from when the request
   * started. A label only: a token client decides expiry on its monotonic clock, from the token's
   * arrival, so a wall clock that jumps changes nothing.
   */
  readonly expiresAt: number;
}

/** What a bearer token may look like (RFC 6750 b64token). */
export const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The longest lifetime taken as plausible (ten years); anything longer is a broken response. */
export const MAX_EXPIRES_IN_S = 10 * 365 * 24 * 3600;

/** Is `expiresIn` a lifetime a response may grant, in seconds? */
export function isLifetime(expiresIn: unknown): expiresIn is number {
  return typeof expiresIn === "number" && expiresIn >= 1 && expiresIn <= MAX_EXPIRES_IN_S;
}

/**
 * A frozen copy of `value` if it is a well-formed `AccessToken` (from a store, which is outside
 * code: each field is read once, the lifetime must be in the range a response may grant; it may
 * be stale, the caller checks expiry), else undefined. Never throws.
 */
export function readAccessToken(value: unknown): AccessToken | undefined {
  try {
    const { accessToken, expiresIn, expiresAt } = (typeof value === "object" && value !== null ? value : {}) as Partial<Record<keyof AccessToken, unknown>>;
    if (typeof accessToken === "string" && BEARER_TOKEN.test(accessToken) && isLifetime(expiresIn) && typeof expiresAt === "number" && Number.isFinite(expiresAt)) {
      return Object.freeze({ accessToken, tokenType: "Bearer", expiresIn, expiresAt });
    }
  } catch {
    // A getter or Proxy that throws is no token.
  }
  return undefined;
}

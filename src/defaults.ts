import type { CellsAuthorityPaths } from "./spec.js";

/**
 * Every default of the library, in one place. Options document these values in JSDoc and
 * `resolveOptions` is the only code that applies them.
 */
export const DEFAULT_BASE_URL = "https://api.aspose.cloud/v4.0";

/** The token operation's path under the base URL (PostAccessToken in the spec). */
export const TOKEN_PATH = "/cells/connect/token" satisfies keyof CellsAuthorityPaths;

/** Environment variables read when an option is not given. An empty value means unset. */
export const ENV = /* @__PURE__ */ Object.freeze({
  clientId: "ASPOSE_CLOUD_CLIENT_ID",
  clientSecret: "ASPOSE_CLOUD_CLIENT_SECRET",
  baseUrl: "ASPOSE_CLOUD_API_URL",
} as const);

/**
 * The official Aspose.Cells Cloud SDKs' variables for the same credentials. Never read: an error
 * about a missing credential names the one that is set, so that a switching user knows what to rename.
 */
export const SDK_ENV = /* @__PURE__ */ Object.freeze({
  clientId: "CellsCloudClientId",
  clientSecret: "CellsCloudClientSecret",
} as const);

export const DEFAULTS = /* @__PURE__ */ Object.freeze({
  timeoutMs: 10_000,
  retry: /* @__PURE__ */ Object.freeze({ maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000 }),
  refreshWindowMs: 300_000,
  expirySkewMs: 30_000,
  allowInsecureHttp: false,
  /** Largest token response body read; a larger one is refused without buffering it whole. */
  maxResponseBytes: 64 * 1024,
  /**
   * Largest request body an API call replays after a 401. A replay needs a copy of the body made
   * before it is sent; a larger body is not copied (its peak memory stays that of a plain fetch),
   * and its 401 goes back to the caller.
   */
  maxReplayBodyBytes: 8 * 1024 * 1024,
  /** Longest server text copied into an error, after scrubbing. */
  errorSnippetChars: 200,
  /** Share of the refresh window added at random, so a fleet does not refresh in the same second. */
  refreshJitterRatio: 0.1,
  /** How far the clocks of hosts sharing a store may differ: a stored token claiming more life than its lifetime plus this is refused. */
  maxHostClockSkewMs: 60_000,
} as const);

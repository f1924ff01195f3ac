import { resolveTokenClientOptions, type TokenClientOptions } from "../options.js";
import { encryptionKey } from "../store/encryption-key.js";
import { fingerprint } from "../util/fingerprint.js";
import { requestOnly, type Origin } from "./acquisition.js";
import { bindStore } from "./bind-store.js";
import { requestToken } from "./post-access-token.js";
import { storeAcquisition } from "./store-acquisition.js";
import { createTokenCache, type TokenClient } from "./token-cache.js";
import { scrubbedError } from "../util/scrubbed-error.js";

/**
 * Creates a token client: the token cache (see `TokenClient`) over the client-credentials token
 * request. Options are checked now: a missing credential, a malformed or an insecure URL throws a
 * `CellsAuthError` at once.
 */
export function createTokenClient(options?: TokenClientOptions): TokenClient {
  const config = resolveTokenClientOptions(options);
  const storeKey = `aspose-cells-cloud-auth:v1:${fingerprint(`${config.baseUrl}\n${config.clientId}`)}`;
  const redact = (text: string) => config.clientSecret.redact(text);
  const store = bindStore(config.store, { encryptionKey: encryptionKey(config.clientSecret, storeKey), now: config.now }, redact);
  const origin: Origin = () => requestToken(config, undefined);
  const acquisition = store ? storeAcquisition(config, store, storeKey, origin) : requestOnly(config, origin);
  return createTokenCache(config, acquisition, "TokenClient", { baseUrl: config.baseUrl, clientId: config.clientId }, (error) =>
    // What the library did not write in a cause (a clock's, a signal's, a store's) is scrubbed of the secret.
    scrubbedError(error, redact),
  );
}

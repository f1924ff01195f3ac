import type { Secret } from "../util/secret.js";

/**
 * HKDF salt of the at-rest key. Fixed and public on purpose (RFC 5869 allows it): the client
 * secret is the key material, and the HKDF `info` is the storage key, so every base URL and
 * client id gets its own key. HKDF rather than PBKDF2: client secrets are random, not passwords.
 */
const SALT = "aspose-cells-cloud-auth/token-at-rest/v1";

/**
 * What a token client hands a store that encrypts at rest (`TokenStore.bind`): the AES-256-GCM key
 * for `storageKey`, derived once on first use with HKDF-SHA-256 from the client secret, and not
 * extractable, so the store can seal tokens without ever reading the secret. Needs WebCrypto.
 */
export function encryptionKey(secret: Secret, storageKey: string): () => Promise<CryptoKey> {
  let key: Promise<CryptoKey> | undefined;
  return () => (key ??= derive(secret, storageKey));
}

async function derive(secret: Secret, info: string): Promise<CryptoKey> {
  const { subtle } = globalThis.crypto;
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const material = await subtle.importKey("raw", utf8(secret.reveal()), "HKDF", false, ["deriveKey"]);
  return subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: utf8(SALT), info: utf8(info) }, material, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

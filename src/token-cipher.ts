import { readAccessToken, type AccessToken } from "./token/access-token.js";
import type { Secret } from "./util/secret.js";
import type { TokenCipher } from "./store/token-store.js";

/**
 * HKDF salt of the at-rest key. Fixed and public on purpose (RFC 5869 allows it): the client
 * secret is the key material, and the HKDF `info` is the storage key, so every base URL and
 * client id gets its own key. HKDF rather than PBKDF2: client secrets are random, not passwords.
 */
export const TOKEN_CIPHER_SALT = "aspose-cells-cloud-auth/token-at-rest/v1";
const IV_BYTES = 12;
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * The cipher a token client gives its store (`TokenStore.bind`). The AES key is derived once, on
 * first use, and is not extractable; the ciphertext is bound to `storageKey` (GCM additional data),
 * so a value copied under another key does not decrypt either. Needs WebCrypto (`crypto.subtle`).
 */
export function createTokenCipher(secret: Secret, storageKey: string): TokenCipher {
  let key: Promise<CryptoKey> | undefined;
  const aesKey = () => (key ??= deriveKey(secret, storageKey));
  const additionalData = utf8(storageKey);
  return Object.freeze({
    async encrypt(token: AccessToken): Promise<string> {
      const { accessToken, tokenType, expiresIn, expiresAt } = token;
      const iv = webCrypto().getRandomValues(new Uint8Array(IV_BYTES));
      const plaintext = utf8(JSON.stringify({ accessToken, tokenType, expiresIn, expiresAt }));
      const sealed = await subtle().encrypt({ name: "AES-GCM", iv, additionalData }, await aesKey(), plaintext);
      return toBase64(concat(iv, new Uint8Array(sealed)));
    },
    async decrypt(sealed: string): Promise<AccessToken | undefined> {
      const cryptoKey = await aesKey(); // a platform without WebCrypto rejects here: an error, not "absent"
      const bytes = fromBase64(sealed);
      if (!bytes || bytes.length <= IV_BYTES) return undefined;
      try {
        const plaintext = await subtle().decrypt(
          { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData },
          cryptoKey,
          bytes.subarray(IV_BYTES),
        );
        return readAccessToken(JSON.parse(new TextDecoder().decode(plaintext)));
      } catch {
        return undefined; // another secret, another storage key, or tampered: treated as absent
      }
    },
    toJSON: () => "[TokenCipher]",
    [INSPECT]: () => "[TokenCipher]",
  });
}

async function deriveKey(secret: Secret, storageKey: string): Promise<CryptoKey> {
  const material = await subtle().importKey("raw", utf8(secret.reveal()), "HKDF", false, ["deriveKey"]);
  return subtle().deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: utf8(TOKEN_CIPHER_SALT), info: utf8(storageKey) },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

function webCrypto(): Crypto {
  const platform = (globalThis as { crypto?: Crypto }).crypto;
  if (!platform?.subtle) throw new Error("WebCrypto (crypto.subtle) is not available in this runtime; tokens cannot be encrypted at rest.");
  return platform;
}

function subtle(): SubtleCrypto {
  return webCrypto().subtle;
}

function utf8(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

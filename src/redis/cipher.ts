import { readAccessToken, type AccessToken } from "../token/token-shape.js";

const IV_BYTES = 12;

/**
 * Seals tokens for storage with AES-256-GCM under the key a token client gave the store (derived
 * from its secret, not extractable): a random 12-byte IV per token, and the storage key as
 * additional data, so a value copied under another key does not open either.
 */
export interface TokenCipher {
  /** base64 of IV followed by ciphertext and tag. */
  encrypt(token: AccessToken, storageKey: string): Promise<string>;
  /** The token, or undefined when `sealed` does not open (another secret, another key, garbage). */
  decrypt(sealed: string, storageKey: string): Promise<AccessToken | undefined>;
}

export function createTokenCipher(key: () => Promise<CryptoKey>): TokenCipher {
  const subtle = () => globalThis.crypto.subtle;
  return Object.freeze({
    async encrypt(token: AccessToken, storageKey: string): Promise<string> {
      const { accessToken, tokenType, expiresIn, expiresAt } = token;
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const plaintext = utf8(JSON.stringify({ accessToken, tokenType, expiresIn, expiresAt }));
      const sealed = await subtle().encrypt({ name: "AES-GCM", iv, additionalData: utf8(storageKey) }, await key(), plaintext);
      return Buffer.concat([iv, new Uint8Array(sealed)]).toString("base64");
    },
    async decrypt(sealed: string, storageKey: string): Promise<AccessToken | undefined> {
      const cryptoKey = await key(); // a key that cannot be derived rejects here: an error, not "absent"
      const bytes = Buffer.from(sealed, "base64");
      if (bytes.length <= IV_BYTES || bytes.toString("base64") !== sealed) return undefined;
      try {
        const plaintext = await subtle().decrypt({ name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: utf8(storageKey) }, cryptoKey, bytes.subarray(IV_BYTES));
        return readAccessToken(JSON.parse(new TextDecoder().decode(plaintext)));
      } catch {
        return undefined; // another secret, another storage key, or tampered: treated as absent
      }
    },
  });
}

function utf8(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
}

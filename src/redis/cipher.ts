const IV_BYTES = 12;

/** What a sealed value holds: the token without its `expiresAt` (a time on the writer's clock, which no other host may read as one of its own). */
export interface SealedToken {
  readonly accessToken: string;
  readonly tokenType: "Bearer";
  readonly expiresIn: number;
}

/** A sealed value's parts: when its token was issued (Redis's clock), and the token if it opened. */
export interface OpenedToken {
  /** Epoch ms on the clock of the Redis server that holds the key. */
  readonly issuedAt: number;
  readonly token: SealedToken;
}

/**
 * Seals tokens for storage with AES-256-GCM under the key a token client gave the store (derived
 * from its secret, not extractable): a random 12-byte IV per token, and as additional data the
 * storage key and the issue time. So a value copied under another key does not open, and the
 * issue time written in clear before it (`<issuedAt>.<base64 of IV, ciphertext and tag>`, read by
 * the store's scripts) cannot be changed without the value failing to open.
 */
export interface TokenCipher {
  /** `<issuedAt>.<base64 of IV, ciphertext and tag>`. */
  seal(token: SealedToken, storageKey: string, issuedAt: number): Promise<string>;
  /** The token and its issue time, or undefined when `sealed` does not open (another secret, another key, another issue time, garbage). */
  open(sealed: string, storageKey: string): Promise<OpenedToken | undefined>;
}

const SEALED = /^(\d{1,15})\.([A-Za-z0-9+/]+={0,2})$/;

/** A cipher with the AES-256-GCM key `key` gives (derived once by the token client). */
export function createTokenCipher(key: () => Promise<CryptoKey>): TokenCipher {
  const subtle = () => globalThis.crypto.subtle;
  return Object.freeze({
    async seal({ accessToken, tokenType, expiresIn }: SealedToken, storageKey: string, issuedAt: number): Promise<string> {
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const plaintext = utf8(JSON.stringify({ accessToken, tokenType, expiresIn }));
      const sealed = await subtle().encrypt({ name: "AES-GCM", iv, additionalData: boundTo(storageKey, issuedAt) }, await key(), plaintext);
      return `${issuedAt}.${Buffer.concat([iv, new Uint8Array(sealed)]).toString("base64")}`;
    },
    async open(sealed: string, storageKey: string): Promise<OpenedToken | undefined> {
      const cryptoKey = await key(); // a key that cannot be derived rejects here: an error, not "absent"
      const [, issued = "", body = ""] = SEALED.exec(sealed) ?? [];
      const bytes = Buffer.from(body, "base64");
      if (bytes.length <= IV_BYTES || bytes.toString("base64") !== body) return undefined;
      const issuedAt = Number(issued);
      try {
        const plaintext = await subtle().decrypt({ name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: boundTo(storageKey, issuedAt) }, cryptoKey, bytes.subarray(IV_BYTES));
        const { accessToken, expiresIn } = JSON.parse(new TextDecoder().decode(plaintext)) as Partial<SealedToken>;
        if (typeof accessToken !== "string" || typeof expiresIn !== "number") return undefined;
        return { issuedAt, token: { accessToken, tokenType: "Bearer", expiresIn } };
      } catch {
        return undefined; // another secret, another storage key or issue time, or tampered: treated as absent
      }
    },
  });
}

/** The additional data a sealed value is bound to. */
function boundTo(storageKey: string, issuedAt: number): Uint8Array<ArrayBuffer> {
  return utf8(`${storageKey}\n${issuedAt}`);
}

function utf8(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
}

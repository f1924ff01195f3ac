import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";

/** What the registry knows about a presented bearer token. */
export type TokenState = "valid" | "expired" | "revoked" | "unknown";

interface IssuedToken {
  readonly expiresAt: number;
  revoked: boolean;
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString("base64url");

/** SHA-256 of a token; the registry keys tokens by it and never keeps a token itself. */
const digest = (token: string): string => createHash("sha256").update(token).digest("base64url");

/** Tokens issued by one emulator instance: JWT-shaped, HMAC-signed with a per-instance random key. */
export class TokenRegistry {
  readonly #key = randomBytes(32);
  readonly #issued = new Map<string, IssuedToken>();
  readonly #issuer: string;

  constructor(issuer: string) {
    this.#issuer = issuer;
  }

  /** A new JWT-shaped token for `clientId`; `register: false` makes one the registry will not accept. */
  create(clientId: string, issuedAt: number, lifetimeSeconds: number, register = true): string {
    const expiresAt = issuedAt + lifetimeSeconds * 1000;
    const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const payload = base64url(
      JSON.stringify({
        iss: this.#issuer,
        aud: "api.aspose.cloud",
        sub: clientId,
        client_id: clientId,
        iat: Math.floor(issuedAt / 1000),
        nbf: Math.floor(issuedAt / 1000),
        // Rounded down: a client that reads exp never believes the token lives longer than it does.
        exp: Math.floor(expiresAt / 1000),
        jti: randomUUID(),
        scope: "api.cells",
      }),
    );
    const signature = createHmac("sha256", this.#key).update(`${header}.${payload}`).digest("base64url");
    const token = `${header}.${payload}.${signature}`;
    if (register) this.#issued.set(digest(token), { expiresAt, revoked: false });
    return token;
  }

  /** The state of a presented token at time `now`. A revoked token stays revoked after it expires. */
  check(token: string, now: number): TokenState {
    const entry = this.#issued.get(digest(token));
    if (entry === undefined) return "unknown";
    if (entry.revoked) return "revoked";
    return now >= entry.expiresAt ? "expired" : "valid";
  }

  /** Revokes one issued token; false when it was never issued here. */
  revoke(token: string): boolean {
    const entry = this.#issued.get(digest(token));
    if (entry === undefined) return false;
    entry.revoked = true;
    return true;
  }

  /** Revokes every token issued so far; returns how many were not revoked yet. */
  revokeAll(): number {
    let count = 0;
    for (const entry of this.#issued.values()) {
      if (!entry.revoked) count += 1;
      entry.revoked = true;
    }
    return count;
  }
}

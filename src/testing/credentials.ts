import { createHash, timingSafeEqual } from "node:crypto";

const sha256 = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/** The known client id and secret, kept as hashes and compared in constant time. */
export class Credentials {
  readonly #idHash: Buffer;
  readonly #secretHash: Buffer;

  constructor(clientId: string, clientSecret: string) {
    this.#idHash = sha256(clientId);
    this.#secretHash = sha256(clientSecret);
  }

  /** Whether the pair matches; both halves are always compared, so timing does not tell which one failed. */
  matches(clientId: string, clientSecret: string): boolean {
    const idOk = timingSafeEqual(sha256(clientId), this.#idHash);
    const secretOk = timingSafeEqual(sha256(clientSecret), this.#secretHash);
    return idOk && secretOk;
  }
}

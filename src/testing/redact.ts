import { createHash } from "node:crypto";
import { secretRedactor } from "../util/redact.js";

/** What a redacted value is replaced with in recorded requests. */
export const REDACTED = "[REDACTED]";

/** Names of form fields, query parameters and headers whose values are secrets. */
const SECRET_NAME = /secret|password|passwd|token|assertion|api[-_]?key|cookie|session/i;

/** Headers whose credential is replaced by a fingerprint, so calls with one token can be correlated. */
const FINGERPRINTED_HEADERS = new Set(["authorization", "proxy-authorization"]);

/** `sha256:` and the first 12 hex digits of the SHA-256 of `value`: enough to correlate, useless to replay. */
export function fingerprint(value: string): string {
  return `sha256:${createHash("sha256").update(value).digest("hex").slice(0, 12)}`;
}

/** `Bearer abc` becomes `Bearer sha256:…`; a value without a scheme becomes only the fingerprint. */
function fingerprintCredential(value: string): string {
  const match = /^(\S+)\s+(.+)$/s.exec(value.trim());
  return match?.[1] !== undefined && match[2] !== undefined
    ? `${match[1]} ${fingerprint(match[2])}`
    : fingerprint(value);
}

/**
 * Redaction for recorded requests: values of secret-named fields are replaced, credentials are
 * fingerprinted, and the configured client secret is scrubbed wherever else it turns up (a secret
 * sent in the wrong field, a path or a custom header), whole, by the library's own scrubber: in
 * every spelling README's Security notes list (percent-encoded, base64...).
 */
export class Redactor {
  readonly #redact: (text: string) => string;

  constructor(secret: string) {
    // Whole echoes only: the default client id shares its first 12 characters with the default secret.
    this.#redact = secretRedactor([secret], true);
  }

  /** `value` with every echo of the secret replaced. */
  scrub(value: string): string {
    return this.#redact(value);
  }

  /** Parameters (query or form) with secret values replaced; repeated names are joined with ", ". */
  params(params: URLSearchParams): Record<string, string> {
    const grouped = new Map<string, string[]>();
    for (const [name, value] of params) {
      const values = grouped.get(name) ?? [];
      values.push(SECRET_NAME.test(name) ? REDACTED : this.scrub(value));
      grouped.set(name, values);
    }
    return Object.fromEntries([...grouped].map(([name, values]) => [this.scrub(name), values.join(", ")]));
  }

  /** Request headers with credentials fingerprinted and other secrets replaced. */
  headers(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
    const entries: [string, string][] = [];
    for (const [name, raw] of Object.entries(headers)) {
      if (raw === undefined) continue;
      const value = Array.isArray(raw) ? raw.join(", ") : raw;
      if (FINGERPRINTED_HEADERS.has(name)) entries.push([name, fingerprintCredential(value)]);
      else entries.push([this.scrub(name), SECRET_NAME.test(name) ? REDACTED : this.scrub(value)]);
    }
    return Object.fromEntries(entries);
  }
}

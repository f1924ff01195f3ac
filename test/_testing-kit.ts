// Helpers for the testing-kit specs (outside the spec glob).
import { createHash } from "node:crypto";

/** POSTs `fields` as a form to `url`. */
export function postForm(url: string, fields: Record<string, string>, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    ...init,
  });
}

/** The form of a correct token request, with overrides; `undefined` drops a field. */
export function tokenForm(
  clientId: string,
  clientSecret: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    grant_type: "client_credentials",
    client_id: clientId,
    client_secret: clientSecret,
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Resolves with `promise`, or rejects when it takes longer than `ms` (a liveness check, not a timing one). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The fingerprint the emulator records for a credential. */
export function fingerprintOf(credential: string): string {
  return `sha256:${createHash("sha256").update(credential).digest("hex").slice(0, 12)}`;
}

/** Decodes one base64url JWT segment as JSON. */
export function decodeSegment(segment: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

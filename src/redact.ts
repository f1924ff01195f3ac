import { DEFAULTS } from "./defaults.js";

const REDACTED = "[REDACTED]";

/**
 * Replaces every known secret in `text` with "[REDACTED]", in each spelling it can take on the way
 * back from a server: raw, percent-encoded, form-encoded and JSON-escaped.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) {
    if (secret === "") continue;
    const spellings = new Set([
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1), // as it reads inside a re-serialized JSON body
    ]);
    for (const spelling of spellings) clean = clean.split(spelling).join(REDACTED);
  }
  return clean;
}

/**
 * Server text made safe for an error: secrets redacted (an OAuth `error_description` may echo
 * what it was sent), control characters dropped, and shortened.
 */
export function scrub(text: string, secrets: readonly string[], maxChars: number = DEFAULTS.errorSnippetChars): string {
  // eslint-disable-next-line no-control-regex
  const clean = redactSecrets(text, secrets).replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim();
  return clean.length > maxChars ? `${clean.slice(0, maxChars)}…` : clean;
}

import { DEFAULTS } from "./defaults.js";

const REDACTED = "[REDACTED]";

/**
 * Removes every known secret from text that came from a server (an OAuth `error_description`
 * may echo what it was sent), in the raw, percent-encoded, form-encoded and JSON-escaped spellings, then
 * drops control characters and shortens it.
 */
export function scrub(text: string, secrets: readonly string[], maxChars: number = DEFAULTS.errorSnippetChars): string {
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
  // eslint-disable-next-line no-control-regex
  clean = clean.replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim();
  return clean.length > maxChars ? `${clean.slice(0, maxChars)}…` : clean;
}

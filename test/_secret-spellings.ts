// How a server may echo a secret back, spelled out by plain encoders on the test side (the library
// itself decodes instead of listing encoders). A canary made by `canary()` reads differently under
// every one of them, so each redaction rule has a spelling that only it catches.

/**
 * A canary secret with what makes every spelling differ: `/` and `+` (percent, form), a space
 * (form's `+`), `!'()*` (strict RFC 3986), `"` and `\` (JSON), `&` (HTML), letters (case), `é`
 * (NFC vs NFD), and `??>>`, whose base64 holds `+` or `/` at any alignment (base64 vs base64url).
 */
export function canary(label: string): string {
  return `${label}-Canary/s3cr3t+&=%zq é!??>>'()*"\\~`;
}

const utf8 = (text: string) => String.fromCharCode(...new TextEncoder().encode(text));
const base64 = (text: string) => btoa(utf8(text));
const everyChar = (text: string, spell: (codePoint: number) => string) => Array.from(text, (c) => spell(c.codePointAt(0)!)).join("");
/** The named references HTML encoders write (.NET's HtmlEncode, PHP's htmlspecialchars, Python's html.escape). */
const NAMED: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Every spelling of `secret` a server might send back, by name. */
export function spellingsOf(secret: string): Record<string, string> {
  const percent = encodeURIComponent(secret);
  return {
    raw: secret,
    percent,
    "percent, lowercase hex": percent.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    "percent, strict RFC 3986": percent.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    form: new URLSearchParams({ s: secret }).toString().slice(2),
    "JSON string": JSON.stringify(secret).slice(1, -1),
    "\\u escapes": everyChar(secret, (code) => `\\u${code.toString(16).padStart(4, "0")}`),
    "HTML named entities": Array.from(secret, (c) => NAMED[c] ?? c).join(""),
    "HTML decimal entities": everyChar(secret, (code) => `&#${code};`),
    "HTML hex entities": everyChar(secret, (code) => `&#x${code.toString(16)};`),
    base64: base64(secret),
    base64url: base64(secret).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
    "base64 after a prefix (Basic credentials)": base64(`client-id:${secret}`),
    "upper case": secret.toUpperCase(),
    "lower case": secret.toLowerCase(),
    NFD: secret.normalize("NFD"),
    "first 12 characters": secret.slice(0, 12),
    "12 characters from the middle": secret.slice(5, 17),
  };
}

/** Names of the spellings of any of `secrets` that occur in `text`, and any 12-character run of a raw secret (none, for a test to pass). */
export function leakedSpellings(text: string, secrets: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const secret of secrets) {
    for (const [name, spelling] of Object.entries(spellingsOf(secret))) if (text.includes(spelling)) leaks.push(`${name}: ${spelling}`);
    for (let i = 0; i + 12 <= secret.length; i++) if (text.includes(secret.slice(i, i + 12))) leaks.push(`a 12-character run: ${secret.slice(i, i + 12)}`);
  }
  return [...new Set(leaks)];
}

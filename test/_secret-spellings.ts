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
/** Base64 of UTF-16 big-endian, with the byte-order mark first as Java's `getBytes("UTF-16")` writes it, or without. */
const base64Utf16be = (text: string, bom: boolean) =>
  btoa((bom ? "\xfe\xff" : "") + Array.from(text, (c) => String.fromCharCode(c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff)).join(""));
const everyChar = (text: string, spell: (codePoint: number) => string) => Array.from(text, (c) => spell(c.codePointAt(0)!)).join("");
/** The named references HTML encoders write (.NET's HtmlEncode, PHP's htmlspecialchars, Python's html.escape). */
const NAMED: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
/** HTML5 named references for every character that has one (PHP's htmlentities with ENT_HTML5 writes these). */
const HTML5_NAMED: Readonly<Record<string, string>> = {
  ...NAMED,
  "/": "&sol;", "+": "&plus;", "=": "&equals;", "%": "&percnt;", " ": "&nbsp;", "!": "&excl;", "?": "&quest;", "(": "&lpar;",
  ")": "&rpar;", "*": "&ast;", "\\": "&bsol;", ".": "&period;", ":": "&colon;", "_": "&lowbar;", "é": "&eacute;",
};
/** Invisible and format characters a server may leave between the characters it echoes: bidi controls, invisible operators, Mongolian and Arabic marks, a Hangul filler, a tag character, a musical format character. */
const INVISIBLE = ["\u202a", "\u202e", "\u2066", "\u2069", "\u2062", "\u2064", "\u180e", "\u061c", "\u3164", "\u{e0041}", "\u{1d173}"];

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
    "HTML5 named entities": Array.from(secret, (c) => HTML5_NAMED[c] ?? c).join(""),
    "HTML decimal entities": everyChar(secret, (code) => `&#${code};`),
    "HTML hex entities": everyChar(secret, (code) => `&#x${code.toString(16)};`),
    base64: base64(secret),
    base64url: base64(secret).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
    "base64 after a prefix (Basic credentials)": base64(`client-id:${secret}`),
    "base64 of UTF-16BE with a byte-order mark (Java)": base64Utf16be(secret, true),
    "base64 of UTF-16BE": base64Utf16be(secret, false),
    "base64, + and / percent-encoded": base64(secret).replace(/[+/]/g, encodeURIComponent),
    "base64, + and / as hex references": base64(secret).replace(/[+/]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`),
    "upper case": secret.toUpperCase(),
    "lower case": secret.toLowerCase(),
    NFD: secret.normalize("NFD"),
    "split by invisible and format characters": Array.from(secret, (c, i) => (i === 0 ? c : INVISIBLE[i % INVISIBLE.length] + c)).join(""),
    "spaces as line breaks and tabs": secret.replace(/ /g, "\r\n\t"),
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

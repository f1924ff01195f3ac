import { DEFAULTS } from "../defaults.js";

const REDACTED = "[REDACTED]";

/** A run of this many characters of a secret counts as an echo of it: servers truncate what they echo. */
const MIN_RUN = 12;

/**
 * One escape in text: percent-encoding (a run of bytes, or `%uXXXX`), backslash escapes (`\uXXXX`,
 * `\u{...}`, `\xHH`, JSON's), HTML character references (decimal, hex, the named ones HTML encoders
 * write) and markup (a tag or comment, read as nothing).
 */
const ESCAPE = /%u[0-9a-f]{4}|(?:%[0-9a-f]{2})+|\\u\{[0-9a-f]{1,6}\}|\\u[0-9a-f]{4}|\\x[0-9a-f]{2}|\\[nrtbfv0"'\\/]|&#x[0-9a-f]{1,6};?|&#0*\d{1,7};?|&[a-z]{2,4};|<[a-z/!?][^<>]{0,200}>/gi;

const NAMED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
const BACKSLASHED: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", 0: "\0" };

/** Text, and for each of its UTF-16 units the span of the original text it came from. */
interface Mapped {
  readonly text: string;
  readonly from: number[];
  readonly to: number[];
}

/**
 * Replaces every echo of a secret in `text` with "[REDACTED]". Rather than list the spellings a
 * server may use, the text is decoded (the escapes of `ESCAPE`, three layers deep; base64,
 * base64url and hex runs, as UTF-8 or UTF-16, two deep, for secrets of 8 characters or more) and folded (letter case, accents and
 * compatibility forms, invisible characters, `+` as a space), then compared once with the secret
 * folded the same way. Any run of 12 or more consecutive characters of a secret is an echo (the
 * whole secret, when it is shorter). It errs on the side of redacting too much.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const spans = secrets.flatMap((secret) => echoSpans(text, runsOf(secret, MIN_RUN))).sort((a, b) => a[0] - b[0]);
  let out = "";
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    if (start >= at) out += text.slice(at, start) + REDACTED;
    at = end;
  }
  return out + text.slice(at);
}

/** True when `text` holds the whole of `secret` in a spelling `redactSecrets` sees through (not just 12 characters: an id may share a prefix with its secret). */
export function containsSecret(text: string, secret: string): boolean {
  return echoSpans(text, runsOf(secret, Infinity)).length > 0;
}

/** True when `text` holds an echo of `secret`, 12 characters of it suffice, as `redactSecrets` sees it. */
export function echoesSecret(text: string, secret: string): boolean {
  return echoSpans(text, runsOf(secret, MIN_RUN)).length > 0;
}

/**
 * Server text made safe for an error: secrets redacted, control characters dropped, and
 * shortened. Only the start of a long text is looked at (enough for a secret escaped at length
 * to be seen whole where it begins inside the part kept).
 */
export function scrub(text: string, secrets: readonly string[], maxChars: number = DEFAULTS.errorSnippetChars): string {
  const head = text.slice(0, maxChars + 12 * Math.max(0, ...secrets.map((secret) => secret.length)) + 64);
  // eslint-disable-next-line no-control-regex
  const clean = redactSecrets(head, secrets).replace(/[\u0000-\u001f\u007f\s]+/g, " ").trim();
  return clean.length > maxChars ? `${clean.slice(0, maxChars)}…` : clean;
}

/**
 * The runs of the folded secret to look for: its substrings of `length` characters, or the whole
 * when shorter. A secret that folds to nothing (combining marks only) is looked for as it is.
 */
function runsOf(secret: string, length: number): string[] {
  const folded = Array.from(secret, fold).join("");
  const size = Math.min(length, folded.length);
  const runs: string[] = [];
  for (let i = 0; i + size <= folded.length && size > 0; i++) runs.push(folded.slice(i, i + size));
  return runs.length > 0 || secret === "" ? runs : [secret];
}

/** One character folded: lower case, marks dropped after NFKD (accents, fullwidth forms, ligatures), invisible characters dropped, `+` a space. */
function fold(char: string): string {
  if (char < "\x80") return char === "+" ? " " : char.toLowerCase();
  return /[\u00ad\u200b-\u200f\u2060\ufeff]/.test(char) ? "" : char.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** The spans of `text` that hold a run, at each layer of decoding, and the binary runs that decode to one. */
function echoSpans(text: string, runs: readonly string[], depth = 2): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  if (runs.length === 0) return spans;
  const size = runs[0]!.length;
  const wanted = new Set(runs);
  const raw = Array.from(runs[0]!, fold).join("") !== runs[0]; // a secret kept as it is (see runsOf) is matched unfolded
  const offsets = Array.from({ length: text.length }, (_, i) => i);
  let layer: Mapped | undefined = { text, from: offsets, to: offsets.map((i) => i + 1) };
  for (let round = 0; layer && round < 4; round++) {
    const folded = folds(layer, raw ? (char) => char : fold);
    for (let i = 0; i + size <= folded.text.length; i++) {
      if (wanted.has(folded.text.slice(i, i + size))) spans.push([folded.from[i]!, folded.to[i + size - 1]!]);
    }
    layer = decoded(layer);
  }
  // Binary encodings only for runs of 8 characters or more: a shorter one turns up by chance in
  // decoded noise (a port number read as base64), which would refuse a good base URL.
  for (const run of depth > 0 && size >= 8 ? text.matchAll(/[\w+/-]{4,}=*/g) : []) {
    if (run[0].length >= (size * 4) / 3 && binaryTexts(run[0]).some((plain) => echoSpans(plain, runs, depth - 1).length > 0)) {
      spans.push([run.index, run.index + run[0].length]);
    }
  }
  return spans;
}

/** `layer` folded by code point, each folded unit keeping the span of its character. */
function folds(layer: Mapped, by: (char: string) => string): Mapped {
  const out: Mapped = { text: "", from: [], to: [] };
  let i = 0;
  for (const char of layer.text) {
    add(out, by(char), layer.from[i]!, layer.to[i + char.length - 1]!);
    i += char.length;
  }
  return out;
}

/** One layer of escapes undone, or undefined when there was none. */
function decoded(layer: Mapped): Mapped | undefined {
  const out: Mapped = { text: "", from: [], to: [] };
  let at = 0;
  let changed = false;
  for (const match of layer.text.matchAll(ESCAPE)) {
    const value = unescaped(match[0]);
    if (value === undefined) continue;
    for (; at < match.index; at++) add(out, layer.text[at]!, layer.from[at]!, layer.to[at]!);
    at = match.index + match[0].length;
    add(out, value, layer.from[match.index]!, layer.to[at - 1]!);
    changed = true;
  }
  for (; at < layer.text.length; at++) add(out, layer.text[at]!, layer.from[at]!, layer.to[at]!);
  return changed ? out : undefined;
}

function add(out: Mapped, text: string, from: number, to: number): void {
  (out as { text: string }).text += text;
  for (let k = 0; k < text.length; k++) {
    out.from.push(from);
    out.to.push(to);
  }
}

/** What one match of `ESCAPE` stands for (undefined: leave it as it is). */
function unescaped(escape: string): string | undefined {
  const [first, second = ""] = escape;
  if (first === "<") return "";
  if (first === "%") return second === "u" || second === "U" ? codePoint(escape.slice(2), 16) : utf8(escape.slice(1).split("%").map((hex) => Number.parseInt(hex, 16)));
  if (first === "&") return second === "#" ? codePoint(escape.replace(/\D*x|[&#;]/gi, ""), /x/i.test(escape) ? 16 : 10) : NAMED[escape.slice(1, -1).toLowerCase()];
  return /[ux]/.test(second) ? codePoint(escape.slice(2).replace(/[{}]/g, ""), 16) : (BACKSLASHED[second] ?? second);
}

function codePoint(digits: string, radix: number): string | undefined {
  const code = Number.parseInt(digits, radix);
  return code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function utf8(bytes: number[]): string {
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** What a base64, base64url or hex run may decode to, as UTF-8 and UTF-16LE (.NET's `Encoding.Unicode`), read from each of its first four characters (it may be glued to other text). */
function binaryTexts(run: string): string[] {
  const blobs = (run.match(/[0-9a-f]{2,}/gi) ?? []).map((hex) => Array.from(hex.match(/../g)!, (pair) => Number.parseInt(pair, 16)));
  const standard = run.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  for (let offset = 0; offset < 4; offset++) {
    const body = standard.slice(offset);
    try {
      blobs.push(Array.from(atob(body.length % 4 === 1 ? body.slice(0, -1) : body), (c) => c.charCodeAt(0)));
    } catch {
      // Not base64 from this offset.
    }
  }
  return blobs.flatMap((bytes) => [utf8(bytes), new TextDecoder("utf-16le").decode(new Uint8Array(bytes))]);
}

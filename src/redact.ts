import { DEFAULTS } from "./defaults.js";

const REDACTED = "[REDACTED]";

/** A run of this many characters of a secret counts as an echo of it: servers truncate what they echo. */
const MIN_RUN = 12;

/** Decoding passes over the text: one per layer of escaping (percent-encoding inside JSON, say). */
const LAYERS = 3;

/** HTML's named character references for the ASCII punctuation a secret may hold (names matched in any case). */
const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", sol: "/", bsol: "\\", plus: "+", equals: "=", percnt: "%",
  num: "#", excl: "!", quest: "?", lpar: "(", rpar: ")", lsqb: "[", rsqb: "]", lbrack: "[", rbrack: "]",
  lcub: "{", rcub: "}", lbrace: "{", rbrace: "}", ast: "*", midast: "*", comma: ",", period: ".", colon: ":",
  semi: ";", commat: "@", dollar: "$", hat: "^", lowbar: "_", grave: "`", verbar: "|", vert: "|", nbsp: " ",
};

/** Backslash escapes of JSON and JavaScript strings (other backslashes are taken literally). */
const ESCAPES: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", 0: "\0", '"': '"', "'": "'", "\\": "\\", "/": "/" };

/**
 * Text read one character at a time, each with the span of the original text it came from: the
 * same shape before and after decoding, so a match found in decoded text redacts the original.
 */
interface Units {
  readonly chars: string[];
  readonly from: number[];
  readonly to: number[];
}

/**
 * Replaces every echo of a secret in `text` with "[REDACTED]". Rather than list the spellings a
 * server may use, the text is decoded (percent-encoding in any case, `+` for space, `\uXXXX` and
 * backslash escapes, HTML entities, up to three layers deep, and base64/base64url runs) and folded
 * (letter case, accents: NFC and NFD alike) into one form, and compared once with the secret folded
 * the same way. Any run of 12 or more consecutive characters of a secret is an echo (the whole
 * secret, when it is shorter). It errs on the side of redacting too much.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const spans: Array<[number, number]> = [];
  for (const secret of secrets) spans.push(...echoSpans(text, runsOf(fold(secret), MIN_RUN)));
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = "";
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    if (start >= at) out += text.slice(at, start) + REDACTED;
    at = end;
  }
  return out + text.slice(at);
}

/**
 * True when `text` holds the whole of `secret`, in any spelling `redactSecrets` sees through:
 * for refusing a secret pasted into another option (a 12-character run would also match an id
 * that merely shares a prefix with the secret).
 */
export function containsSecret(text: string, secret: string): boolean {
  const folded = fold(secret);
  return folded !== "" && echoSpans(text, runsOf(folded, folded.length)).length > 0;
}

/**
 * Server text made safe for an error: secrets redacted, control characters dropped, and
 * shortened. Only the start of a long text is looked at (enough for a secret escaped at length
 * to be seen whole where it begins inside the part kept).
 */
export function scrub(text: string, secrets: readonly string[], maxChars: number = DEFAULTS.errorSnippetChars): string {
  const longest = Math.max(0, ...secrets.map((secret) => secret.length));
  const head = text.slice(0, maxChars + 10 * longest + 64);
  // eslint-disable-next-line no-control-regex
  const clean = redactSecrets(head, secrets).replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim();
  return clean.length > maxChars ? `${clean.slice(0, maxChars)}…` : clean;
}

/** Every run of the folded secret to look for: its `length`-character substrings, or itself when shorter. */
function runsOf(folded: string, length: number): Set<string> {
  const size = Math.min(length, folded.length);
  const runs = new Set<string>();
  for (let i = 0; size > 0 && i + size <= folded.length; i++) runs.add(folded.slice(i, i + size));
  return runs;
}

/** The spans of `text` that hold a run, at every layer of decoding, and the base64 runs that decode to one. */
function echoSpans(text: string, runs: Set<string>, base64 = true): Array<[number, number]> {
  if (runs.size === 0) return [];
  const spans: Array<[number, number]> = [];
  const chars = text.split("");
  let units: Units | undefined = { chars, from: chars.map((_, i) => i), to: chars.map((_, i) => i + 1) };
  for (let layer = 0; units && layer <= LAYERS; layer++) {
    spans.push(...matches(units, runs));
    units = decoded(units);
  }
  if (!base64) return spans;
  // Base64 of a run of n characters is at least 4n/3 characters long.
  const shortest = Math.max(4, Math.ceil((runs.values().next().value!.length * 4) / 3));
  for (const run of text.matchAll(/[A-Za-z0-9+/_-]+=*/g)) {
    if (run[0].length < shortest) continue;
    if (base64Texts(run[0]).some((plain) => echoSpans(plain, runs, false).length > 0)) spans.push([run.index, run.index + run[0].length]);
  }
  return spans;
}

/** Folds the units (case, accents) and returns the original spans where a run of the secret is found. */
function matches(units: Units, runs: Set<string>): Array<[number, number]> {
  let folded = "";
  const from: number[] = [];
  const to: number[] = [];
  units.chars.forEach((char, i) => {
    for (const c of char < "\x80" ? (char === "+" ? " " : char.toLowerCase()) : fold(char)) {
      folded += c;
      from.push(units.from[i]!);
      to.push(units.to[i]!);
    }
  });
  const size = runs.values().next().value!.length;
  const spans: Array<[number, number]> = [];
  for (let i = 0; i + size <= folded.length; i++) {
    if (runs.has(folded.slice(i, i + size))) spans.push([from[i]!, to[i + size - 1]!]);
  }
  return spans;
}

/** Lower case, accents and other combining marks dropped (after NFD), `+` read as a space. */
function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\+/g, " ");
}

/** One layer of escaping undone, or undefined when there was none. */
function decoded(units: Units): Units | undefined {
  const { chars } = units;
  const out: Units = { chars: [], from: [], to: [] };
  let changed = false;
  const take = (char: string, first: number, last: number) => {
    out.chars.push(char);
    out.from.push(units.from[first]!);
    out.to.push(units.to[last]!);
    changed ||= last > first;
  };
  const hexAt = (i: number, length: number) => {
    const digits = chars.slice(i, i + length).join("");
    return digits.length === length && /^[0-9a-f]+$/i.test(digits) ? Number.parseInt(digits, 16) : undefined;
  };
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === "%") {
      const bytes: number[] = [];
      for (let j = i; chars[j] === "%" && hexAt(j + 1, 2) !== undefined; j += 3) bytes.push(hexAt(j + 1, 2)!);
      if (bytes.length > 0) {
        const text = utf8(bytes);
        // Each decoded character spans the whole sequence: close enough for redaction, simple to keep.
        for (const c of text) take(c, i, i + 3 * bytes.length - 1);
        i += 3 * bytes.length - 1;
        continue;
      }
    } else if (char === "\\") {
      const next = chars[i + 1];
      const code = next === "u" ? hexAt(i + 2, 4) : next === "x" ? hexAt(i + 2, 2) : undefined;
      if (code !== undefined) {
        const length = next === "u" ? 6 : 4;
        take(String.fromCharCode(code), i, i + length - 1);
        i += length - 1;
        continue;
      }
      const escaped = next === undefined ? undefined : ESCAPES[next];
      if (escaped !== undefined) {
        take(escaped, i, i + 1);
        i += 1;
        continue;
      }
    } else if (char === "&") {
      let end = i + 1;
      while (end < chars.length && end - i <= 10 && chars[end] !== ";") end++;
      const name = chars[end] === ";" ? chars.slice(i + 1, end).join("") : "";
      const numeric = /^#(\d{1,7}|x[0-9a-f]{1,6})$/i.exec(name);
      const value = numeric ? fromCodePoint(name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1))) : ENTITIES[name.toLowerCase()];
      if (value !== undefined) {
        take(value, i, end);
        i = end;
        continue;
      }
    }
    take(char, i, i);
  }
  return changed ? out : undefined;
}

function fromCodePoint(code: number): string | undefined {
  return code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function utf8(bytes: number[]): string {
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** What a base64 or base64url run may decode to, read from each of its first four characters (it may be glued to other text). */
function base64Texts(run: string): string[] {
  const standard = run.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  const texts: string[] = [];
  for (let offset = 0; offset < 4; offset++) {
    const body = standard.slice(offset);
    const usable = body.slice(0, body.length - (body.length % 4 === 1 ? 1 : 0));
    try {
      const binary = atob(usable);
      texts.push(utf8(Array.from(binary, (c) => c.charCodeAt(0))));
    } catch {
      // Not base64 from this offset.
    }
  }
  return texts;
}

import { DEFAULTS } from "../defaults.js";

const REDACTED = "[REDACTED]";

/** A run of this many characters of a secret counts as an echo of it: servers truncate what they echo. */
const MIN_RUN = 12;

/** Decoding passes over the text: one per layer of escaping (percent-encoding inside JSON, say). */
const LAYERS = 3;

/** Binary encodings (base64, hex) decoded inside one another at most this deep. */
const BINARY_DEPTH = 2;

/** HTML's named character references for the ASCII punctuation a secret may hold (names matched in any case). */
const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", sol: "/", bsol: "\\", plus: "+", equals: "=", percnt: "%",
  num: "#", excl: "!", quest: "?", lpar: "(", rpar: ")", lsqb: "[", rsqb: "]", lbrack: "[", rbrack: "]",
  lcub: "{", rcub: "}", lbrace: "{", rbrace: "}", ast: "*", midast: "*", comma: ",", period: ".", colon: ":",
  semi: ";", commat: "@", dollar: "$", hat: "^", lowbar: "_", grave: "`", verbar: "|", vert: "|", nbsp: " ",
};

/** Backslash escapes of JSON and JavaScript strings (other backslashes are taken literally). */
const ESCAPES: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", 0: "\0", '"': '"', "'": "'", "\\": "\\", "/": "/" };

/** Characters that show nothing (zero-width, soft hyphen, BOM): an echo split by them is still an echo. */
const INVISIBLE = /[\u00ad\u200b-\u200f\u2060\ufeff]/;

/**
 * Text read one character (code point) at a time, each with the span of the original text it came
 * from: the same shape before and after decoding, so a match in decoded text redacts the original.
 */
interface Units {
  readonly chars: string[];
  readonly from: number[];
  readonly to: number[];
}

/**
 * Replaces every echo of a secret in `text` with "[REDACTED]". Rather than list the spellings a
 * server may use, the text is decoded (percent-encoding in any case and `%uXXXX`, `+` for space,
 * backslash and `\uXXXX` escapes, HTML entities and tags, up to three layers deep; base64,
 * base64url and hex runs, as UTF-8 or UTF-16) and folded (letter case, accents and compatibility
 * forms, invisible characters) into one form, then compared once with the secret folded the same
 * way. Any run of 12 or more consecutive characters of a secret is an echo (the whole secret, when
 * it is shorter). It errs on the side of redacting too much.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const spans: Array<[number, number]> = [];
  for (const secret of secrets) spans.push(...echoSpans(text, runsOf(secret, MIN_RUN)));
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
 * for refusing a secret pasted into a client id (a 12-character run would also match an id that
 * merely shares a prefix with the secret).
 */
export function containsSecret(text: string, secret: string): boolean {
  return echoSpans(text, runsOf(secret, Number.POSITIVE_INFINITY)).length > 0;
}

/** True when `text` holds an echo of `secret` in the sense of `redactSecrets` (12 characters of it suffice). */
export function echoesSecret(text: string, secret: string): boolean {
  return echoSpans(text, runsOf(secret, MIN_RUN)).length > 0;
}

/**
 * Server text made safe for an error: secrets redacted, control characters dropped, and
 * shortened. Only the start of a long text is looked at (enough for a secret escaped at length
 * to be seen whole where it begins inside the part kept).
 */
export function scrub(text: string, secrets: readonly string[], maxChars: number = DEFAULTS.errorSnippetChars): string {
  const longest = Math.max(0, ...secrets.map((secret) => secret.length));
  const head = text.slice(0, maxChars + 12 * longest + 64);
  // eslint-disable-next-line no-control-regex
  const clean = redactSecrets(head, secrets).replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim();
  return clean.length > maxChars ? `${clean.slice(0, maxChars)}…` : clean;
}

/** Every run of the folded secret to look for: its substrings of `length` characters, or the whole when shorter. */
function runsOf(secret: string, length: number): Set<string> {
  const folded = Array.from(secret, fold).join("");
  const size = Math.min(length, folded.length);
  const runs = new Set<string>();
  for (let i = 0; size > 0 && i + size <= folded.length; i++) runs.add(folded.slice(i, i + size));
  // A secret that folds to nothing (combining marks only) is looked for as it is.
  if (runs.size === 0 && secret !== "") runs.add(RAW + secret);
  return runs;
}

/** Marks a run that is looked for letter for letter, unfolded. */
const RAW = "\u0000raw:";

/** The spans of `text` that hold a run, at every layer of decoding, and the binary runs that decode to one. */
function echoSpans(text: string, runs: Set<string>, depth = BINARY_DEPTH): Array<[number, number]> {
  if (runs.size === 0) return [];
  const spans: Array<[number, number]> = [];
  const [first] = runs;
  if (first!.startsWith(RAW)) {
    const literal = first!.slice(RAW.length);
    for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1)) spans.push([at, at + literal.length]);
    return spans;
  }
  let units: Units | undefined = unitsOf(text);
  for (let layer = 0; units && layer <= LAYERS; layer++) {
    spans.push(...matches(units, runs));
    units = decoded(units);
  }
  if (depth === 0) return spans;
  // Base64 or hex of a run of n characters is at least 4n/3 characters long.
  const shortest = Math.max(4, Math.ceil((runs.values().next().value!.length * 4) / 3));
  for (const run of text.matchAll(/[A-Za-z0-9+/_-]+=*/g)) {
    if (run[0].length < shortest) continue;
    if (binaryTexts(run[0]).some((plain) => echoSpans(plain, runs, depth - 1).length > 0)) spans.push([run.index, run.index + run[0].length]);
  }
  return spans;
}

function unitsOf(text: string): Units {
  const units: Units = { chars: [], from: [], to: [] };
  let at = 0;
  for (const char of text) {
    units.chars.push(char);
    units.from.push(at);
    at += char.length;
    units.to.push(at);
  }
  return units;
}

/** Folds the units and returns the original spans where a run of the secret is found. */
function matches(units: Units, runs: Set<string>): Array<[number, number]> {
  let folded = "";
  const from: number[] = [];
  const to: number[] = [];
  units.chars.forEach((char, i) => {
    const f = fold(char);
    folded += f;
    for (let k = 0; k < f.length; k++) {
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

/**
 * One character folded: lower case, accents and other combining marks dropped, compatibility
 * forms (fullwidth, ligatures) decomposed, invisible characters dropped, `+` read as a space.
 */
function fold(char: string): string {
  if (char < "\x80") return char === "+" ? " " : char.toLowerCase();
  return INVISIBLE.test(char) ? "" : char.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** One layer of escaping undone, or undefined when there was none. */
function decoded(units: Units): Units | undefined {
  const { chars } = units;
  const out: Units = { chars: [], from: [], to: [] };
  let changed = false;
  const take = (text: string, first: number, last: number) => {
    for (const char of text) {
      out.chars.push(char);
      out.from.push(units.from[first]!);
      out.to.push(units.to[last]!);
    }
    changed ||= last > first;
  };
  const hexAt = (i: number, length: number) => {
    const digits = chars.slice(i, i + length).join("");
    return digits.length === length && /^[0-9a-f]+$/i.test(digits) ? Number.parseInt(digits, 16) : undefined;
  };
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    let length = 0;
    let value: string | undefined;
    if (char === "%") {
      const wide = chars[i + 1] === "u" || chars[i + 1] === "U" ? hexAt(i + 2, 4) : undefined; // %uXXXX, JavaScript's escape()
      const bytes: number[] = [];
      for (let j = i; wide === undefined && chars[j] === "%" && hexAt(j + 1, 2) !== undefined; j += 3) bytes.push(hexAt(j + 1, 2)!);
      if (wide !== undefined) [value, length] = [String.fromCharCode(wide), 6];
      else if (bytes.length > 0) [value, length] = [utf8(bytes), 3 * bytes.length];
    } else if (char === "\\") {
      const next = chars[i + 1];
      let close = i + 3;
      while (next === "u" && chars[i + 2] === "{" && close < chars.length && close - i <= 10 && chars[close] !== "}") close++;
      const braced = chars[close] === "}" ? Number.parseInt(chars.slice(i + 3, close).join(""), 16) : Number.NaN;
      const code = next === "u" ? hexAt(i + 2, 4) : next === "x" ? hexAt(i + 2, 2) : undefined;
      if (Number.isInteger(braced) && braced <= 0x10ffff) [value, length] = [String.fromCodePoint(braced), close - i + 1];
      else if (code !== undefined) [value, length] = [String.fromCharCode(code), next === "u" ? 6 : 4];
      else if (next !== undefined && ESCAPES[next] !== undefined) [value, length] = [ESCAPES[next], 2];
    } else if (char === "&") {
      // &name; &#ddd; &#xhh; (a numeric reference may go without its ";", as HTML parsers accept)
      const hexRef = chars[i + 1] === "#" && (chars[i + 2] === "x" || chars[i + 2] === "X");
      const digits = chars[i + 1] !== "#" ? /[0-9a-z]/i : hexRef ? /[0-9a-f]/i : /[0-9]/;
      const start = chars[i + 1] !== "#" ? i + 1 : hexRef ? i + 3 : i + 2;
      let end = start;
      while (end < chars.length && end - start < 12 && digits.test(chars[end]!)) end++;
      const name = chars.slice(start, end).join("");
      if (chars[i + 1] === "#" && name !== "") {
        const code = Number.parseInt(name, hexRef ? 16 : 10);
        if (code <= 0x10ffff) value = String.fromCodePoint(code);
      } else if (chars[end] === ";") {
        value = ENTITIES[name.toLowerCase()];
      }
      length = end - i + (chars[end] === ";" ? 1 : 0);
    } else if (char === "<") {
      // Markup (a tag, a comment) read as nothing: an echo split by tags is still an echo.
      let end = i + 1;
      while (end < chars.length && end - i <= 200 && chars[end] !== ">" && chars[end] !== "<") end++;
      if (chars[end] === ">" && /[a-z/!?]/i.test(chars[i + 1] ?? "")) [value, length] = ["", end - i + 1];
    }
    if (value !== undefined) {
      if (value === "") changed = true;
      else take(value, i, i + length - 1);
      i += length - 1;
    } else {
      take(char, i, i);
    }
  }
  return changed ? out : undefined;
}

function utf8(bytes: number[]): string {
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** The texts a base64, base64url or hex run may decode to, as UTF-8 and as UTF-16LE (.NET's `Encoding.Unicode`). */
function binaryTexts(run: string): string[] {
  const blobs: number[][] = [];
  const hex = run.match(/[0-9a-f]{2,}/gi) ?? [];
  for (const digits of hex) blobs.push(Array.from(digits.slice(0, digits.length & ~1).match(/../g) ?? [], (pair) => Number.parseInt(pair, 16)));
  const standard = run.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  // Read from each of its first four characters: the run may be glued to other text.
  for (let offset = 0; offset < 4; offset++) {
    const body = standard.slice(offset);
    try {
      blobs.push(Array.from(atob(body.slice(0, body.length - (body.length % 4 === 1 ? 1 : 0))), (c) => c.charCodeAt(0)));
    } catch {
      // Not base64 from this offset.
    }
  }
  return blobs.flatMap((bytes) => [utf8(bytes), new TextDecoder("utf-16le").decode(new Uint8Array(bytes))]);
}

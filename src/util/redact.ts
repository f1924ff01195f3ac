import { DEFAULTS } from "../defaults.js";
import { canonical, endOf, folded, startOf, type Mapped } from "./canonical.js";
import { unescaped, withoutMarkup } from "./escapes.js";
import { scanText, substringAutomaton, type SubstringAutomaton } from "./substring-automaton.js";

const REDACTED = "[REDACTED]";

/** A run of this many characters of a secret counts as an echo of it: servers truncate what they echo. */
const MIN_RUN = 12;
/** Layers of escapes undone, after the text as it is. */
const ESCAPE_DEPTH = 3;
/** Layers of base64 and hex decoded (base64 of base64). */
const BINARY_DEPTH = 2;
/** Binary encodings are decoded only for echoes this long: a shorter one turns up by chance in decoded noise (a port number read as base64), which would refuse a good base URL. */
const MIN_BINARY_RUN = 8;
/** How far past the part kept `scrub` reads: enough for 12 characters of a secret escaped three layers deep. */
const SCRUB_LOOKAHEAD = 4096;

/** Joins texts decoded from binary runs, to look at them in one search: a noncharacter, which no escape, markup or binary run includes (a secret holding it could only cause more redaction). */
const SEPARATOR = "\uffff";

/**
 * Characters that fold to themselves or their own script and take no part in escapes: most of
 * what decoding binary noise gives (U+FFFD from UTF-8, Han, Hangul and Yi from UTF-16). When the
 * secret holds none, a stretch of them is cut to one separator before the search, which finds the
 * same echoes in a fraction of the text.
 */
const INERT = /(?![\p{M}\p{Cf}\p{Default_Ignorable_Code_Point}])[\p{Script=Han}\p{Script=Hangul}\p{Script=Yi}\p{Co}\ufffd]+/gu;

/** A run of base64, base64url or hex, maybe glued to other word characters. */
const BINARY_RUN = /[\w+/-]{4,}=*/g;

/** One secret, ready to look for. */
interface Wanted {
  readonly automaton: SubstringAutomaton;
  /** Units of canonical text that make an echo. */
  readonly minLength: number;
  /** false for a secret that folds to nothing (combining marks only): it is looked for as it is. */
  readonly fold: boolean;
  /** Canonical forms of the characters seen, shared by every layer. */
  readonly cache: Map<string, string>;
  /** Whether stretches of `INERT` characters can be cut from decoded text (the secret has none). */
  readonly inert: boolean;
  /** Decoders, made on first use, once per `Wanted` (making one costs more than a short decode). */
  readonly decoders: { utf8?: TextDecoder; utf16?: TextDecoder };
}

/**
 * Replaces every echo of a secret in `text` with "[REDACTED]". Rather than list the spellings a
 * server may use, the text is decoded (escapes three layers deep, markup read as nothing and as it is, base64,
 * base64url and hex of UTF-8 or UTF-16 two deep) and brought to one canonical form (`canonical`),
 * then compared once with the secret in that form. Any run of 12 or more consecutive characters of
 * a secret is an echo (the whole secret, when it is shorter). It errs on the side of redacting too
 * much. Linear in the length of the text and of the secrets.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return secretRedactor(secrets)(text);
}

/**
 * `redactSecrets` for these secrets, prepared once for many texts (a request log, an error's
 * causes). With `whole`, only whole echoes are redacted, not runs of 12 characters (a log that
 * must keep a client id sharing a prefix with its secret).
 */
export function secretRedactor(secrets: readonly string[], whole = false): (text: string) => string {
  const wanteds = secrets.map((secret) => wanted(secret, whole ? Infinity : MIN_RUN));
  return (text) => {
    const spans = wanteds
      // A quick look first; the spans only when there is an echo.
      .flatMap((secret) => (echoSpans({ text }, secret, BINARY_DEPTH, true).length > 0 ? echoSpans({ text }, secret, BINARY_DEPTH, false) : []))
      .sort((a, b) => a[0] - b[0]);
    let out = "";
    let at = 0;
    for (const [start, end] of spans) {
      if (end <= at) continue;
      if (start >= at) out += text.slice(at, start) + REDACTED;
      at = end;
    }
    return out + text.slice(at);
  };
}

/** True when `text` holds the whole of `secret` in a spelling `redactSecrets` sees through (not just 12 characters: an id may share a prefix with its secret). */
export function containsSecret(text: string, secret: string): boolean {
  return echoSpans({ text }, wanted(secret, Infinity), BINARY_DEPTH, true).length > 0;
}

/** True when `text` holds an echo of `secret`, 12 characters of it suffice, as `redactSecrets` sees it. */
export function echoesSecret(text: string, secret: string): boolean {
  return echoSpans({ text }, wanted(secret, MIN_RUN), BINARY_DEPTH, true).length > 0;
}

/**
 * Server text made safe for an error: secrets redacted, control characters dropped, and
 * shortened. Only the start of a long text is looked at (enough for 12 characters of a secret
 * escaped at length to be seen where they begin inside the part kept).
 */
export function scrub(text: string, secrets: readonly string[], maxChars: number = DEFAULTS.errorSnippetChars): string {
  // eslint-disable-next-line no-control-regex
  const clean = redactSecrets(text.slice(0, maxChars + SCRUB_LOOKAHEAD), secrets).replace(/[\u0000-\u001f\u007f\s]+/g, " ").trim();
  return clean.length > maxChars ? `${clean.slice(0, maxChars)}…` : clean;
}

function wanted(secret: string, runLength: number): Wanted {
  const form = canonical(secret);
  const target = form || secret;
  return { automaton: substringAutomaton(target), minLength: Math.min(runLength, target.length), fold: form !== "", inert: target.search(INERT) === -1, cache: new Map(), decoders: {} };
}

/**
 * The spans of `text` (as `[start, end)` of the original) that hold an echo, at each layer of
 * escapes, with and without markup, and the binary runs that decode to one. With `first`, stops
 * at the first.
 */
function echoSpans(text: Mapped, secret: Wanted, depth: number, first: boolean): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  if (secret.minLength === 0) return spans;
  const record = (layer: Mapped) => (start: number, end: number) => {
    const from = startOf(layer, start);
    const to = endOf(layer, end - 1);
    const last = spans[spans.length - 1];
    if (last && from >= last[0] && from <= last[1]) last[1] = Math.max(last[1], to);
    else spans.push([from, to]);
    return first;
  };
  const track = !first;
  const search = (layer: Mapped) => {
    const form = !secret.fold ? layer : track ? folded(layer, secret.cache) : { text: canonical(layer.text) };
    return scanText(secret.automaton, form.text, secret.minLength, record(form));
  };
  let layer: Mapped | undefined = text;
  for (let round = 0; layer && round <= ESCAPE_DEPTH; round++) {
    const bare = withoutMarkup(layer, track);
    if (search(layer) || (bare && search(bare))) return spans;
    if (depth > 0 && secret.minLength >= MIN_BINARY_RUN && binaryEchoes(layer, secret, depth, track && round > 0, record(layer))) return spans;
    layer = unescaped(layer, track);
  }
  return spans;
}

/**
 * Reports each binary run of `layer` that decodes to an echo; true when `found` says to stop. What
 * every run decodes to is looked at in one search first (joined by a character no echo can span),
 * run by run only when that finds one.
 */
function binaryEchoes(layer: Mapped, secret: Wanted, depth: number, decodedOnly: boolean, found: (start: number, end: number) => boolean): boolean {
  const runs: Array<{ start: number; end: number; plain: string }> = [];
  for (const run of layer.text.matchAll(BINARY_RUN)) {
    const start = run.index;
    const end = start + run[0].length;
    if (run[0].length < (secret.minLength * 4) / 3) continue;
    // A run this layer of decoding left as it was has been looked at already.
    if (decodedOnly && endOf(layer, end - 1) - startOf(layer, start) === run[0].length) continue;
    runs.push({ start, end, plain: binaryTexts(run[0], secret).join(SEPARATOR) });
  }
  const echoes = (plain: string) => echoSpans({ text: plain }, secret, depth - 1, true).length > 0;
  if (runs.length === 0 || !echoes(runs.map((run) => run.plain).join(SEPARATOR))) return false;
  return runs.some((run) => echoes(run.plain) && found(run.start, run.end));
}

/**
 * What a base64, base64url or hex run may decode to, as UTF-8 and as UTF-16 in either byte order
 * (a byte-order mark folds to nothing) from its first or second byte, read from each of its first
 * four characters for base64 and its first two for hex (it may be glued to other text). Like the
 * runs themselves, hex is decoded only where it is long enough to hold an echo.
 */
function binaryTexts(run: string, { decoders, inert, minLength }: Wanted): string[] {
  const blobs: Uint8Array[] = [];
  for (const hex of run.match(/[0-9a-f]+/gi) ?? []) {
    if (hex.length < 2 * minLength) continue;
    for (let offset = 0; offset < 2; offset++) {
      const bytes = new Uint8Array((hex.length - offset) >> 1);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.substr(offset + 2 * i, 2), 16);
      blobs.push(bytes);
    }
  }
  const standard = run.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  for (let offset = 0; offset < 4; offset++) {
    const body = standard.slice(offset);
    let binary: string;
    try {
      binary = atob(body.length % 4 === 1 ? body.slice(0, -1) : body);
    } catch {
      continue; // not base64 from this offset
    }
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < bytes.length; i++) bytes[i] = binary.charCodeAt(i);
    blobs.push(bytes);
  }
  const utf8 = (decoders.utf8 ??= new TextDecoder());
  const utf16 = (decoders.utf16 ??= new TextDecoder("utf-16le"));
  const utf16Of = (bytes: Uint8Array) => utf16.decode(bytes.subarray(0, bytes.length & ~1));
  const texts = blobs.flatMap((bytes) => [utf8.decode(bytes), ...[bytes, bytes.subarray(1)].flatMap((even) => [utf16Of(even), utf16Of(swapped(even))])]);
  return inert ? texts.map((text) => text.replace(INERT, SEPARATOR)) : texts;
}

/** `bytes` with each pair swapped: UTF-16 big-endian read as little-endian. */
function swapped(bytes: Uint8Array): Uint8Array {
  const swap = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swap[i] = bytes[i + 1]!;
    swap[i + 1] = bytes[i]!;
  }
  return swap;
}

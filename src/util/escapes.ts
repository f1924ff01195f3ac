import { endOf, MappedBuilder, startOf, type Mapped } from "./canonical.js";
import { namedReference } from "./html-references.js";

/**
 * One escape in text: percent-encoding (a run of bytes, or `%uXXXX`), backslash escapes (`\uXXXX`,
 * `\u{...}`, `\xHH`, JSON's), HTML character references (decimal, hex, named).
 */
const ESCAPE = /%u[0-9a-f]{4}|(?:%[0-9a-f]{2})+|\\u\{[0-9a-f]{1,6}\}|\\u[0-9a-f]{4}|\\x[0-9a-f]{2}|\\[nrtbfv0"'\\/]|&#x[0-9a-f]{1,6};?|&#0*\d{1,7};?|&[a-z][a-z0-9]{1,31};/gi;

/** Markup: a tag or comment, read as nothing. */
const MARKUP = /<[a-z/!?][^<>]{0,200}>/gi;

const BACKSLASHED: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", 0: "\0" };

/**
 * `layer` with one layer of escapes undone, each decoded character from the span of its escape
 * (with `track`); undefined when there was none.
 */
export function unescaped(layer: Mapped, track: boolean): Mapped | undefined {
  const { text } = layer;
  const out = new MappedBuilder(track);
  let at = 0;
  for (const match of text.matchAll(ESCAPE)) {
    const [escape] = match;
    const start = match.index;
    if (escape[0] === "%" && escape[1] !== "u" && escape[1] !== "U") {
      out.keep(layer, at, start);
      percentDecoded(escape, (value, offset, length) => out.add(value, startOf(layer, start + offset), endOf(layer, start + offset + length - 1)));
    } else {
      const value = decodedEscape(escape);
      if (value === undefined) continue;
      out.keep(layer, at, start);
      out.add(value, startOf(layer, start), endOf(layer, start + escape.length - 1));
    }
    at = start + escape.length;
  }
  if (at === 0) return undefined;
  out.keep(layer, at, text.length);
  return out.done();
}

/** `layer` without markup (spans kept with `track`), or undefined when it has none. */
export function withoutMarkup(layer: Mapped, track: boolean): Mapped | undefined {
  if (!layer.text.includes("<")) return undefined;
  const out = new MappedBuilder(track);
  let at = 0;
  for (const match of layer.text.matchAll(MARKUP)) {
    out.keep(layer, at, match.index);
    at = match.index + match[0].length;
  }
  if (at === 0) return undefined;
  out.keep(layer, at, layer.text.length);
  return out.done();
}

/** A run of `%XX` escapes read as UTF-8, one character (or U+FFFD for a broken sequence) per group of escapes. */
function percentDecoded(run: string, emit: (value: string, offset: number, length: number) => void): void {
  for (let i = 0; i < run.length; ) {
    const lead = Number.parseInt(run.slice(i + 1, i + 3), 16);
    let length = (lead < 0xc0 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4) * 3;
    let value: string;
    try {
      value = decodeURIComponent(run.slice(i, i + length));
    } catch {
      value = "\ufffd";
      length = 3;
    }
    emit(value, i, length);
    i += length;
  }
}

/** What one escape other than a `%XX` run stands for (undefined: leave it as it is). */
function decodedEscape(escape: string): string | undefined {
  const [first, second = ""] = escape;
  if (first === "%") return codePoint(escape.slice(2), 16);
  if (first === "&") return second === "#" ? codePoint(escape.replace(/\D*x|[&#;]/gi, ""), /x/i.test(escape) ? 16 : 10) : namedReference(escape.slice(1, -1));
  return /[ux]/.test(second) ? codePoint(escape.slice(2).replace(/[{}]/g, ""), 16) : (BACKSLASHED[second] ?? second);
}

function codePoint(digits: string, radix: number): string | undefined {
  const code = Number.parseInt(digits, radix);
  return code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

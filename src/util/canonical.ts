/**
 * Text, and for each of its UTF-16 units the span `[from, to)` of the original text it came from;
 * without `from` and `to`, each unit is its own span (the original text itself).
 */
export interface Mapped {
  readonly text: string;
  readonly from?: readonly number[];
  readonly to?: readonly number[];
}

/** Where unit `i` of `layer` starts in the original text. */
export const startOf = (layer: Mapped, i: number): number => (layer.from ? layer.from[i]! : i);

/** Where unit `i` of `layer` ends in the original text. */
export const endOf = (layer: Mapped, i: number): number => (layer.to ? layer.to[i]! : i + 1);

/**
 * Builds a `Mapped`: pieces of new text from spans of the original, and units kept from another
 * layer. Without `track`, it builds the text only (for a search that needs no positions).
 */
export class MappedBuilder {
  readonly #parts: string[] = [];
  readonly #from: number[] = [];
  readonly #to: number[] = [];
  readonly #track: boolean;

  constructor(track: boolean) {
    this.#track = track;
  }

  /** Appends `text`, every unit of it from `[from, to)`. */
  add(text: string, from: number, to: number): void {
    this.#parts.push(text);
    for (let k = 0; this.#track && k < text.length; k++) {
      this.#from.push(from);
      this.#to.push(to);
    }
  }

  /** Appends units `[start, end)` of `layer` as they are. */
  keep(layer: Mapped, start: number, end: number): void {
    this.#parts.push(layer.text.slice(start, end));
    for (let i = start; this.#track && i < end; i++) {
      this.#from.push(startOf(layer, i));
      this.#to.push(endOf(layer, i));
    }
  }

  /** Widens the last unit to end at `to`. */
  extend(to: number): void {
    if (this.#track) this.#to[this.#to.length - 1] = to;
  }

  done(): Mapped {
    const text = this.#parts.join("");
    return this.#track ? { text, from: this.#from, to: this.#to } : { text };
  }
}

/** What folding drops: marks (accents, after NFKD), default-ignorable code points and format characters (bidi controls, joiners, tags, fillers...). */
const DROPPED = /[\p{M}\p{Default_Ignorable_Code_Point}\p{Cf}]/gu;
/** What folds to a space: white space, control characters, and `+` (a form-encoded space). */
const SPACES = /[\s\x00-\x1f\x7f-\x9f+]+/g;

/**
 * `text` in its canonical form: compatibility forms decomposed (fullwidth, ligatures, math
 * letters), marks, invisible and format characters dropped, case folded without locale rules
 * (`ß` and `ẞ` are `ss`; Turkish `İ` and `ı` are `i`; `ς` is `σ`, wherever it stands), runs of
 * white space, control characters and `+` one space. Character by character: the canonical form
 * of a text is that of its characters, one after the other (`folded` relies on it).
 */
export function canonical(text: string): string {
  return text.normalize("NFKD").toLowerCase().toUpperCase().toLowerCase().normalize("NFKD").replace(DROPPED, "").replace(/ς/g, "σ").replace(SPACES, " ");
}

/**
 * `layer` in canonical form (see `canonical`), each unit with the span of the characters it came
 * from. `cache` holds the forms of the characters already seen.
 */
export function folded(layer: Mapped, cache: Map<string, string>): Mapped {
  const { text } = layer;
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) {
    // ASCII: one unit for one, unless spaces run together.
    // eslint-disable-next-line no-control-regex
    const ascii = text.toLowerCase().replace(/[\x00-\x20\x7f+]/g, " ");
    if (!ascii.includes("  ")) return { ...layer, text: ascii };
  }
  const out = new MappedBuilder(true);
  let space = false;
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i)!;
    const size = code > 0xffff ? 2 : 1;
    const start = startOf(layer, i);
    const end = endOf(layer, i + size - 1);
    const char = text.slice(i, (i += size));
    let fold = cache.get(char);
    if (fold === undefined) cache.set(char, (fold = canonical(char)));
    if (space && fold.startsWith(" ")) {
      out.extend(end);
      fold = fold.slice(1);
    }
    if (fold !== "") {
      out.add(fold, start, end);
      space = fold.endsWith(" ");
    }
  }
  return out.done();
}

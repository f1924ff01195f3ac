/**
 * The suffix automaton of a string: reads a text once, and after each character knows the longest
 * stretch ending there that occurs anywhere in the string. Built in time linear in the string,
 * scanned in time linear in the text: what keeps the scrubber linear in both.
 */
export interface SubstringAutomaton {
  /** Transitions of each state, by UTF-16 unit. */
  readonly next: ReadonlyArray<ReadonlyMap<number, number>>;
  /** Suffix link of each state. */
  readonly link: readonly number[];
  /** Length of the longest string each state stands for. */
  readonly length: readonly number[];
}

/** The automaton of every substring of `text`. */
export function substringAutomaton(text: string): SubstringAutomaton {
  const next: Array<Map<number, number>> = [new Map()];
  const link = [-1];
  const length = [0];
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const current = next.push(new Map()) - 1;
    length[current] = length[last]! + 1;
    let p = last;
    for (; p !== -1 && !next[p]!.has(unit); p = link[p]!) next[p]!.set(unit, current);
    if (p === -1) {
      link[current] = 0;
    } else {
      const q = next[p]!.get(unit)!;
      if (length[p]! + 1 === length[q]) {
        link[current] = q;
      } else {
        const clone = next.push(new Map(next[q])) - 1;
        length[clone] = length[p]! + 1;
        link[clone] = link[q]!;
        for (; p !== -1 && next[p]!.get(unit) === q; p = link[p]!) next[p]!.set(unit, clone);
        link[q] = link[current] = clone;
      }
    }
    last = current;
  }
  return { next, link, length };
}

/**
 * Calls `found(start, end)` for each position of `text` where a stretch of at least `minLength`
 * units ending there occurs in the automaton's string (`[start, end)`, the longest such stretch).
 * Returns early, with true, when `found` returns true.
 */
export function scanText(automaton: SubstringAutomaton, text: string, minLength: number, found: (start: number, end: number) => boolean | void): boolean {
  const { next, link, length } = automaton;
  let state = 0;
  let matched = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    while (state > 0 && !next[state]!.has(unit)) matched = length[(state = link[state]!)]!;
    const target = next[state]!.get(unit);
    if (target === undefined) continue;
    state = target;
    matched += 1;
    if (matched >= minLength && found(i + 1 - matched, i + 1)) return true;
  }
  return false;
}

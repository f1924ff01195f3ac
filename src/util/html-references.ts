/**
 * The HTML5 named character references whose value is ASCII, white space or invisible, or Latin
 * letters (with or without diacritics, ligatures, mathematical letters), by value, folded to ASCII
 * (see `canonical`): all that matter when the secret is ASCII, as Aspose's are, and the Latin
 * letters. Letters with a diacritic and mathematical letters (`Auml`, `Aopf`) are read by their
 * name's shape below. The whole HTML5 table (2125 names) would cost about 11.7 kB gzipped, more
 * than the core's whole size budget. `test/html-references.test.ts` checks this table against it.
 */
const GROUPS: ReadonlyArray<readonly [string, string]> = [
  ["&", "AMP amp"],
  ["", "ApplyFunction DotDot DownBreve InvisibleComma InvisibleTimes NegativeMediumSpace NegativeThickSpace NegativeThinSpace NegativeVeryThinSpace NoBreak TripleDot ZeroWidthSpace af ic it lrm rlm shy tdot zwj zwnj"],
  [" ", "Breve Cedilla DiacriticalAcute DiacriticalDot DiacriticalDoubleAcute DiacriticalTilde Dot DoubleDot MediumSpace NonBreakingSpace OverBar ThickSpace ThinSpace VeryThinSpace acute breve cedil dblac die dot emsp13 emsp14 emsp ensp hairsp macr nbsp numsp ogon oline puncsp ring strns thinsp tilde uml"],
  ["\n", "NewLine"],
  ["\t", "Tab"],
  ["\"", "QUOT quot"],
  ["'", "apos"],
  ["<", "LT lt"],
  [">", "GT gt"],
  ["=", "equals"],
  ["`", "DiacriticalGrave grave"],
  ["^", "Hat"],
  ["_", "UnderBar lowbar"],
  ["|", "VerticalLine verbar vert"],
  ["*", "ast midast"],
  ["\\", "bsol"],
  [":", "colon"],
  [",", "comma"],
  ["@", "commat"],
  ["$", "dollar"],
  ["!", "excl"],
  ["{", "lbrace lcub"],
  ["[", "lbrack lsqb"],
  ["(", "lpar"],
  ["}", "rbrace rcub"],
  ["]", "rbrack rsqb"],
  [")", "rpar"],
  ["#", "num"],
  ["%", "percnt"],
  [".", "period"],
  ["+", "plus"],
  ["?", "quest"],
  [";", "semi"],
  ["/", "sol"],
  ["1", "sup1"],
  ["2", "sup2"],
  ["3", "sup3"],
  ["a", "angst ordf"],
  ["i", "imath inodot"],
  ["o", "ordm"],
  ["ff", "fflig"],
  ["ffi", "ffilig"],
  ["ffl", "ffllig"],
  ["fi", "filig"],
  ["fj", "fjlig"],
  ["fl", "fllig"],
  ["ij", "IJlig ijlig"],
  ["ss", "szlig"],
];

const NAMED: ReadonlyMap<string, string> = new Map(GROUPS.flatMap(([value, names]) => names.split(" ").map((name) => [name, value] as const)));

/** A letter with a diacritic (`Auml`, `ccedil`...) or a mathematical letter (`Afr`, `Aopf`, `Ascr`): the letter. */
const LETTER = /^([A-Za-z])(?:acute|breve|caron|cedil|circ|dblac|dot|fr|grave|macr|ogon|opf|ring|scr|tilde|uml)$/;
/** Names of that shape that are something else (operators, a combining mark). */
const NOT_LETTERS = /^(?:odot|sdot|xcirc)$/;

/** The value of the named reference `&name;` (case matters, as in HTML), folded; undefined when it is not one that folds to ASCII. */
export function namedReference(name: string): string | undefined {
  return NAMED.get(name) ?? (LETTER.test(name) && !NOT_LETTERS.test(name) ? name[0] : undefined);
}

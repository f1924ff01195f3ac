// Bodies built to make the secret scrubber work hardest, for bench/scrubber.ts: each is 64 KiB of
// one pattern that a layer of the scrubber decodes, or of pieces of the secret itself.

const SIZE = 64 * 1024;

const utf8 = (text: string) => String.fromCharCode(...new TextEncoder().encode(text));
const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

/** Every hostile body for `secret`, by name. */
export function hostileBodies(secret: string): Record<string, string> {
  const pieces = secret.match(/.{1,11}/g) ?? [];
  return {
    "one 64 KiB hex and base64 run": fill("A"),
    "base64 of base64": fill("QUJD"),
    "short base64 runs": fill("QUJDREVGR0hJSktMTU5P "),
    "percent-encoded percent escapes": fill("%2541"),
    "HTML references to HTML references": fill("&#x26;#x41;"),
    "\\u escapes": fill("\\u0041"),
    markup: fill("<a>"),
    "accented letters": fill("é"),
    "the secret, over and over": fill(secret + " "),
    "the secret in base64, over and over": fill(`${btoa(utf8(secret))} `),
    "the secret percent-encoded, over and over": fill(`${encodeURIComponent(secret)} `),
    "11-character pieces of the secret (one short of an echo)": fill(pieces.join("x")),
  };
}

/** A secret of `length` characters drawn from Aspose's alphabet (hex digits), with a fixed seed. */
export function hexSecret(length: number): string {
  let state = 0x9e3779b9;
  let secret = "";
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    secret += "0123456789abcdef"[state >>> 28];
  }
  return secret;
}

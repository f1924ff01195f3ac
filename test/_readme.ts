// The fenced code blocks of README.md (outside the spec glob): test/readme.test.ts runs them,
// test/runtimes runs the browser pattern's two blocks in Chromium.
import { readFile } from "node:fs/promises";
import { join } from "node:path";

export interface Block {
  lang: string;
  code: string;
}

const root = new URL("..", import.meta.url).pathname;

export async function readmeBlocks(): Promise<Block[]> {
  const text = await readFile(join(root, "README.md"), "utf8");
  return [...text.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map(([, lang = "", code = ""]) => ({ lang, code }));
}

/** First lines of the browser pattern's blocks: the server route, and the page that calls it. */
export const BROWSER_PATTERN = { server: "// On your server:", page: "// In the page:" } as const;

/** The Any endpoint section: its codegen command, and the first line of its snippet. */
export const ANY_ENDPOINT = { add: "npx aspose-cells-codegen add CellsWorksheetsController", snippet: "// worksheets.ts, in the project" } as const;

/** The one TypeScript block that starts with `firstLine`; throws when there is not exactly one. */
export function blockStartingWith(blocks: readonly Block[], firstLine: string): Block {
  const found = blocks.filter((block) => block.lang === "ts" && block.code.startsWith(firstLine));
  if (found.length !== 1) throw new Error(`README.md has ${found.length} ts blocks starting with ${JSON.stringify(firstLine)}`);
  return found[0]!;
}

// Mocha's global setup (.mocharc.json `require`), run once before any test file (in the main process,
// also with --parallel, where no two workers may build at once): the build the suites share is made
// here, when it is missing or stale (see _dist.ts).
import { ensureBuilt } from "./_dist.js";

/** Builds dist/ when it is missing or stale. */
export async function mochaGlobalSetup(): Promise<void> {
  await ensureBuilt();
}

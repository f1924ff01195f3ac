// Mocha's global setup (.mocharc.json `require`), run once in the main process before any test file,
// also when files run in parallel workers: the build the suites share is made here, once, so that no
// two workers build at the same time (see _dist.ts).
import { ensureBuilt } from "./_dist.js";

/** Builds dist/ when it is missing or stale. */
export async function mochaGlobalSetup(): Promise<void> {
  await ensureBuilt();
}

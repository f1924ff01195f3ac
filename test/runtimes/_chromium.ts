// A real Chromium (Debian's), headless, driven by playwright-core. Two pages, both served from the
// control server on 127.0.0.1 while the emulator listens on another port (another origin, so every
// call crosses CORS as it would in production):
// - index.html loads an esbuild bundle of the conformance script and runs the same checks;
// - readme.html runs the README's browser pattern: its page block (bundled, with the emulator as
//   the API) asks its server block (run here in Node as the /api/cells-token route) for a token.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { BROWSER_PATTERN, blockStartingWith, readmeBlocks } from "../_readme.js";
import { startBench, type Bench, type Route } from "./_bench.js";
import { missingRow, rowFromResults, type CheckResult, type Row } from "./_report.js";
import { chromiumBinary, toolModule } from "./_tools.js";

/** The part of playwright-core used here. */
interface ConsoleMessage {
  type(): string;
  text(): string;
}
interface Page {
  goto(url: string): Promise<unknown>;
  waitForFunction(expression: string, arg?: unknown, options?: { timeout: number }): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  waitForEvent(event: "console", options: { predicate: (message: ConsoleMessage) => boolean; timeout: number }): Promise<ConsoleMessage>;
  on(event: "pageerror", listener: (error: Error) => void): void;
  close(): Promise<void>;
}
interface Browser {
  version(): string;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface Chromium {
  launch(options: { executablePath: string; headless: boolean; args: string[]; timeout: number }): Promise<Browser>;
}

/** Flags that keep Chromium off the network it cannot reach here (see the machine notes). */
const CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const PAGE_LIMIT_MS = 60_000;
const ROUTE = "/api/cells-token";
const API_URL = "https://api.aspose.cloud/v4.0";

interface Credentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

async function bundle(consumer: string, entry: string, outfile: string): Promise<string> {
  await build({ absWorkingDir: consumer, entryPoints: [entry], outfile, bundle: true, format: "esm", platform: "browser", target: "es2022", logLevel: "error" });
  return outfile;
}

const html = (script: string) => `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>conformance</title><script type="module" src="${script}"></script>`;

/** The README's server block as a route, with the emulator's credentials in the environment it reads. */
async function serverRoute(consumer: string, bench: Bench, credentials: Credentials): Promise<Route> {
  const { code } = blockStartingWith(await readmeBlocks(), BROWSER_PATTERN.server);
  const file = join(consumer, "readme-server.ts");
  await writeFile(file, code);
  const names = ["ASPOSE_CLOUD_CLIENT_ID", "ASPOSE_CLOUD_CLIENT_SECRET", "ASPOSE_CLOUD_API_URL"] as const;
  const saved = names.map((name) => process.env[name]);
  Object.assign(process.env, { ASPOSE_CLOUD_CLIENT_ID: credentials.clientId, ASPOSE_CLOUD_CLIENT_SECRET: credentials.clientSecret, ASPOSE_CLOUD_API_URL: bench.server.baseUrl });
  try {
    const routes = Object.values((await import(pathToFileURL(file).href)) as Record<string, unknown>).filter((value): value is Route => typeof value === "function");
    if (routes.length !== 1) throw new Error(`the README's server block exports ${routes.length} functions, not one route`);
    return routes[0]!;
  } finally {
    names.forEach((name, index) => (saved[index] === undefined ? delete process.env[name] : (process.env[name] = saved[index])));
  }
}

/** The README's browser pattern in a page: one status check with a token from the server route, and no secret in what the page loads. */
async function readmeCheck(browser: Browser, consumer: string, credentials: Credentials): Promise<CheckResult> {
  const name = "README browser pattern: a token from the server route, status check 200, no secret in the page";
  // Filled in once the emulator's URL is known: the bench looks them up on every request.
  const files: Record<string, readonly [string, string]> = {};
  const routes: Record<string, Route> = {};
  const bench = await startBench({ cors: true, files, routes });
  try {
    const route = await serverRoute(consumer, bench, credentials);
    const handedOut: string[] = [];
    routes[ROUTE] = async (request) => {
      const response = await route(request);
      handedOut.push(await response.clone().text());
      return response;
    };
    const { code } = blockStartingWith(await readmeBlocks(), BROWSER_PATTERN.page);
    if (!code.includes(`"${API_URL}"`)) throw new Error(`the README's page block does not name ${API_URL}`);
    await writeFile(join(consumer, "readme-page.ts"), code.replace(`"${API_URL}"`, JSON.stringify(bench.server.baseUrl)));
    const script = await readFile(await bundle(consumer, "readme-page.ts", join(consumer, "readme-page.js")), "utf8");
    files["/readme.html"] = ["text/html", html("/readme-page.js")];
    files["/readme-page.js"] = ["text/javascript", script];

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const printed = page.waitForEvent("console", { predicate: (message) => message.type() === "log", timeout: PAGE_LIMIT_MS });
    await page.goto(`${bench.control}readme.html`);
    const text = (await printed).text();
    await page.close();
    const stats = bench.server.stats;
    const problems = [
      text === "OK" ? "" : `the page printed ${JSON.stringify(text)}, not "OK"`,
      errors.length === 0 ? "" : `page errors: ${errors.join("; ")}`,
      stats.apiCalls === 1 && stats.apiCallsRejected === 0 ? "" : `${stats.apiCalls} API calls, ${stats.apiCallsRejected} rejected`,
      handedOut.length === 1 ? "" : `the route handed out ${handedOut.length} tokens`,
      [script, ...handedOut].some((loaded) => loaded.includes(credentials.clientSecret)) ? "the secret reached the page" : "",
    ].filter(Boolean);
    return { name, ok: problems.length === 0, detail: problems.join("; ") || `printed ${text}, ${stats.tokenRequests} token request on the server` };
  } catch (error) {
    return { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    await bench.close();
  }
}

/** The conformance script in a page (origin: the control server; API: the emulator, with CORS). */
async function conformanceChecks(browser: Browser, consumer: string, credentials: Credentials): Promise<{ results: CheckResult[]; total: number }> {
  const script = await readFile(await bundle(consumer, "page.mjs", join(consumer, "page.js")), "utf8");
  const bench = await startBench({ cors: true, files: { "/index.html": ["text/html", html("/page.js")], "/page.js": ["text/javascript", script] } });
  try {
    const page = await browser.newPage();
    await page.goto(`${bench.control}index.html`);
    await page.waitForFunction("globalThis.conformance !== undefined", undefined, { timeout: PAGE_LIMIT_MS });
    const config = { ...credentials, baseUrl: bench.server.baseUrl, control: bench.control };
    const answer = await page.evaluate(async (given) => {
      const { conformance } = globalThis as unknown as { conformance: { run(config: unknown): Promise<CheckResult[]>; total: number } };
      return { results: await conformance.run(given), total: conformance.total };
    }, config);
    await page.close();
    return answer;
  } finally {
    await bench.close();
  }
}

export async function runChromium(runtime: string, consumer: string, credentials: Credentials): Promise<Row> {
  const executable = chromiumBinary();
  if ("missing" in executable) return missingRow(runtime, executable.missing);
  const started = performance.now();
  const playwright = (await import(pathToFileURL(toolModule("playwright-core")).href)) as { chromium?: Chromium; default?: { chromium: Chromium } };
  const chromium = playwright.chromium ?? playwright.default?.chromium;
  if (!chromium) return missingRow(runtime, "playwright-core has no chromium export");
  const browser = await chromium.launch({ executablePath: executable.path, headless: true, args: CHROMIUM_ARGS, timeout: PAGE_LIMIT_MS });
  try {
    const { results, total } = await conformanceChecks(browser, consumer, credentials);
    const readme = await readmeCheck(browser, consumer, credentials);
    return rowFromResults(runtime, browser.version(), [...results, readme], total + 1, performance.now() - started);
  } finally {
    await browser.close();
  }
}

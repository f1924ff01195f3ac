// 5. Cold start: the time to import the package (dist/index.js, the ESM core; and dist/client.js,
// the lean `/client` entry) in a fresh Node process, against openapi-fetch alone, asposecellscloud
// and google-auth-library. Each sample is
// a new child process. Inside it, one empty module is imported first, so that the ESM loader's
// one-time start-up (paid by any ESM program) is not charged to whoever comes first; then the
// subject's import is timed. Its overhead is that time minus the time to import a second empty
// module. The whole process is also timed from outside (noisier), against the empty-module one.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fixed, interleaved, median, nowMs, ratioRow, type BenchOptions, type Measurement, type Row } from "./_stats.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST_ENTRY = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const CLIENT_ENTRY = fileURLToPath(new URL("../dist/client.js", import.meta.url));

/** Runs in the child: warm the loader, then time one dynamic import until it settles. */
const CHILD =
  "await import(process.env.BENCH_WARM); const t0 = performance.now(); await import(process.env.BENCH_IMPORT); " +
  "process.stdout.write(String(performance.now() - t0));";

const SUBJECTS = ["empty", "ours", "/client", "openapi-fetch", "asposecellscloud", "google-auth-library"] as const;
type Subject = (typeof SUBJECTS)[number];

interface Sample {
  readonly importMs: number;
  readonly wallMs: number;
}

function child(args: string[], env: Record<string, string>): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const start = nowMs();
    const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    proc.on("error", reject);
    proc.on("close", (code) => {
      const wallMs = nowMs() - start;
      if (code !== 0) return reject(new Error(`cold-start: child exited ${code}: ${err.slice(0, 300)}`));
      resolve({ importMs: out === "" ? 0 : Number(out), wallMs });
    });
  });
}

export async function run({ quick }: BenchOptions): Promise<Measurement> {
  if (!existsSync(DIST_ENTRY) || !existsSync(CLIENT_ENTRY)) throw new Error("cold-start: dist/index.js or dist/client.js is missing; run `npm run build` first");
  const rounds = quick ? 10 : 40;
  const dir = mkdtempSync(join(tmpdir(), "bench-cold-start-"));
  const warm = pathToFileURL(join(dir, "warm.mjs")).href;
  const specifiers: Record<Subject, string> = {
    empty: pathToFileURL(join(dir, "empty.mjs")).href,
    ours: pathToFileURL(DIST_ENTRY).href,
    "/client": pathToFileURL(CLIENT_ENTRY).href,
    "openapi-fetch": "openapi-fetch",
    asposecellscloud: "asposecellscloud",
    "google-auth-library": "google-auth-library",
  };
  writeFileSync(fileURLToPath(warm), "export {};\n");
  writeFileSync(fileURLToPath(specifiers.empty), "export {};\n");

  const samples = Object.fromEntries([...SUBJECTS, "bareNode"].map((name) => [name, [] as Sample[]])) as Record<Subject | "bareNode", Sample[]>;
  const record = (name: Subject | "bareNode", sample: Sample) => {
    samples[name].push(sample);
    return sample.wallMs;
  };
  const cases = Object.fromEntries(
    SUBJECTS.map((name) => [
      name,
      async () => record(name, await child(["--input-type=module", "-e", CHILD], { BENCH_WARM: warm, BENCH_IMPORT: specifiers[name] })),
    ]),
  ) as Record<Subject, () => Promise<number>>;
  try {
    await interleaved(rounds, { ...cases, bareNode: async () => record("bareNode", await child(["-e", ""], {})) }, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const importMs = (name: Subject) => median(samples[name].map((sample) => sample.importMs));
  const wallMs = (name: Subject | "bareNode") => median(samples[name].map((sample) => sample.wallMs));
  const overhead = (name: Subject) => importMs(name) - importMs("empty");
  const wallOverhead = (name: Subject) => wallMs(name) - wallMs("empty");
  const describe = (name: Subject) =>
    `${name} ${fixed(overhead(name))} ms (import ${fixed(importMs(name))} ms; whole process ${fixed(wallOverhead(name), 1)} ms over the empty-module one)`;
  const ours = overhead("ours");
  const rows: Row[] = [
    ratioRow(
      "cold-start-openapi-fetch",
      "Cold start: import overhead of the package vs openapi-fetch alone",
      ours / overhead("openapi-fetch"),
      { max: 1.3 },
      `${describe("ours")} vs ${describe("openapi-fetch")}; the package imports openapi-fetch itself; ` +
        `import of an empty module ${fixed(importMs("empty"))} ms subtracted; median of ${rounds} processes each`,
    ),
    ratioRow(
      "cold-start-client-openapi-fetch",
      "Cold start: import overhead of `/client` vs openapi-fetch alone",
      overhead("/client") / overhead("openapi-fetch"),
      { max: 1.3 },
      `${describe("/client")} vs openapi-fetch ${fixed(overhead("openapi-fetch"))} ms; \`/client\` imports openapi-fetch itself; same processes as the line above`,
    ),
    ratioRow("cold-start-asposecellscloud", "Cold start: import overhead vs asposecellscloud (official SDK)", ours / overhead("asposecellscloud"), {}, describe("asposecellscloud")),
    ratioRow(
      "cold-start-google-auth-library",
      "Cold start: import overhead vs google-auth-library",
      ours / overhead("google-auth-library"),
      {},
      `${describe("google-auth-library")}; processes: bare \`node -e ""\` ${fixed(wallMs("bareNode"), 1)} ms, empty-module one ${fixed(wallMs("empty"), 1)} ms`,
    ),
  ];
  return { rows, data: { rounds, samples } };
}

// The conformance script as a program, for Node, Bun and Deno:
//   <runtime> cli.mjs '{"baseUrl":…,"clientId":…,"clientSecret":…,"control":…}'
// One line per check, then `runtime: …` and `checks: passed/total`; exits 1 on any failure.
import { runConformance, CHECK_COUNT } from "./conformance.mjs";
import { formatResult } from "./report.mjs";

const { Deno, Bun } = globalThis;
const args = Deno ? Deno.args : globalThis.process.argv.slice(2);
const config = JSON.parse(args[0] ?? "{}");

/** The runtime's own inspect: Deno.inspect, Bun.inspect, or node:util's. */
async function runtimeInspect() {
  if (Deno) return { inspect: Deno.inspect, inspectName: "Deno.inspect" };
  if (Bun) return { inspect: Bun.inspect, inspectName: "Bun.inspect" };
  const { inspect } = await import("node:util");
  return { inspect, inspectName: "util.inspect" };
}

function runtimeName() {
  if (Deno) return `deno ${Deno.version.deno}`;
  if (Bun) return `bun ${Bun.version}`;
  return `node ${globalThis.process.versions.node}`;
}

const results = await runConformance(config, await runtimeInspect());
for (const result of results) console.log(formatResult(result));
const passed = results.filter((result) => result.ok).length;
console.log(`runtime: ${runtimeName()}`);
console.log(`checks: ${passed}/${CHECK_COUNT}`);
if (passed !== CHECK_COUNT) {
  if (Deno) Deno.exit(1);
  globalThis.process.exit(1);
}

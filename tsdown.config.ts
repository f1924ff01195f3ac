import path from "node:path";
import { defineConfig, type UserConfig } from "tsdown";
import { DEFAULT_CONFIG, loadControllers } from "./packages/codegen/src/pipeline/controllers.js";

const shared: UserConfig = { target: "es2022", sourcemap: false, deps: { neverBundle: ["openapi-fetch", "redis", "@opentelemetry/api"] } };

// Every controller of openapi/controllers.json ships its generated types as a type-only module,
// "aspose-cells-cloud-auth/generated/<name>" (package.json exports "./generated/*"): adding an
// entry there is all it takes to build and publish one more.
const { entries } = await loadControllers(DEFAULT_CONFIG);
const generatedEntries = Object.fromEntries(entries.map((entry) => [`generated/${entry.name}`, path.relative(process.cwd(), entry.types)]));

export default defineConfig([
  // The core, dual ESM + CommonJS with types for each. Platform-neutral: browsers and edge runtimes
  // import it too (test/package.test.ts checks that it imports nothing from "node:").
  {
    ...shared,
    entry: { index: "src/index.ts", ...generatedEntries },
    format: ["esm", "cjs"],
    platform: "neutral",
    dts: true,
    clean: true,
  },
  // The lean `/client` entry (no secret handling: what a page or an edge worker imports), built on
  // its own: one file that shares no chunk with the core, so that importing either loads one module
  // of ours (each more costs a cold start about what openapi-fetch's whole import does; BENCHMARKS.md).
  // An app that imports both has two copies of what they share: isCellsAuthError recognises either's errors.
  {
    ...shared,
    entry: { client: "src/client.ts" },
    format: ["esm", "cjs"],
    platform: "neutral",
    dts: true,
    clean: false,
  },
  // The OpenTelemetry listener (`/otel`), on its own like `/client`: platform-neutral, the only
  // entry that imports "@opentelemetry/api" (an optional peer dependency); nothing of it reaches
  // the core, which stays as small and fast to import without it.
  {
    ...shared,
    entry: { otel: "src/otel/index.ts" },
    format: ["esm", "cjs"],
    platform: "neutral",
    dts: true,
    clean: false,
  },
  // Node-only entries, dual ESM + CommonJS with types: the testing kit (local emulator) and the
  // Redis token store (the only entry that imports "redis", an optional peer dependency).
  {
    ...shared,
    entry: { testing: "src/testing/index.ts", redis: "src/redis/index.ts" },
    format: ["esm", "cjs"],
    platform: "node",
    fixedExtension: false,
    dts: true,
    clean: false,
  },
  // The executables (package "bin"), aspose-cells-token and aspose-cells-emulator: Node only, ESM
  // only, no types; they bundle their own copy of the library code. The shebangs of their main.ts
  // are kept and tsdown marks dist/cli.js and dist/emulator.js executable.
  {
    ...shared,
    entry: { cli: "src/cli/main.ts", emulator: "src/emulator-cli/main.ts" },
    format: ["esm"],
    platform: "node",
    fixedExtension: false,
    dts: false,
    clean: false,
  },
]);

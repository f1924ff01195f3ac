import { defineConfig } from "tsdown";

// Dual ESM + CommonJS with types for each. The core entry must stay platform-neutral:
// test/package.test.ts checks that it imports nothing from "node:".
export default defineConfig({
  entry: { index: "src/index.ts", testing: "src/testing/index.ts" },
  format: ["esm", "cjs"],
  platform: "neutral",
  target: "es2022",
  dts: true,
  clean: true,
  sourcemap: false,
  deps: { neverBundle: ["openapi-fetch"] },
});

import { defineConfig } from "tsdown";

// aspose-cells-codegen: ESM only, Node only. The bin (dist/cli.js, shebang kept, marked executable)
// and ./emulator (with types), which aspose-cells-cloud-auth/testing loads for startTokenServer({ specs }).
// Every dependency stays external: they are this package's dependencies.
export default defineConfig({
  entry: { cli: "src/cli/main.ts", emulator: "src/emulator/index.ts" },
  format: ["esm"],
  platform: "node",
  target: "es2022",
  fixedExtension: false,
  dts: true,
  sourcemap: false,
  clean: true,
});

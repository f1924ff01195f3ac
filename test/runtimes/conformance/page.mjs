// The conformance script in a browser page (bundled by esbuild): the harness calls
// globalThis.conformance.run(config) and reads the results. A browser has no inspect of its own.
import { runConformance, CHECK_COUNT } from "./conformance.mjs";

globalThis.conformance = { run: (config) => runConformance(config), total: CHECK_COUNT };

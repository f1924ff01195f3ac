// Runs the bundled conformance Worker in workerd through miniflare, POSTs the config to it and
// prints its JSON answer. miniflare needs Node 22+, so test:runtimes starts this file with the
// pinned Node 24:  node workerd.mjs '{"miniflare":…,"workerd":…,"script":…,"flags":[…],"config":{…}}'
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const { miniflare, workerd, script, flags, config } = JSON.parse(process.argv[2]);
const { Miniflare } = await import(pathToFileURL(miniflare).href);
// The newest compatibility date the pinned workerd supports, as its package says.
const { compatibilityDate } = createRequire(import.meta.url)(workerd);

const mf = new Miniflare({ modules: true, script: await readFile(script, "utf8"), scriptPath: script, compatibilityDate, compatibilityFlags: flags });
try {
  const response = await mf.dispatchFetch("http://conformance.test/", { method: "POST", body: JSON.stringify(config) });
  console.log(JSON.stringify({ status: response.status, body: await response.text(), compatibilityDate }));
} finally {
  await mf.dispose();
}

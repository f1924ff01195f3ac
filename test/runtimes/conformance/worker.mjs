// The conformance script as a Cloudflare Worker: POST the config as JSON, get the results as JSON.
// There is no process.env here: the credentials and baseUrl come in the request. This Worker runs
// with no compatibility flags (so no Node globals at all); worker-nodejs-compat.mjs is the same
// Worker with node:util's inspect, for workerd with nodejs_compat.
import { runConformance, CHECK_COUNT } from "./conformance.mjs";

export function conformanceWorker(inspection = {}) {
  return {
    async fetch(request) {
      const config = await request.json();
      const results = await runConformance(config, inspection);
      return Response.json({ results, total: CHECK_COUNT, runtime: navigator.userAgent });
    },
  };
}

export default conformanceWorker();

// The conformance Worker for workerd with the nodejs_compat flag, which gives it node:util.
import { inspect } from "node:util";
import { conformanceWorker } from "./worker.mjs";

export default conformanceWorker({ inspect, inspectName: "util.inspect" });

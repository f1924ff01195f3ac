"use strict";
// Mocha's Spec reporter, plus the closing line CI reads: "N passed, N failed[, N skipped]".
// CommonJS because mocha loads reporters with require().
const { Spec } = require("mocha").reporters;
const { EVENT_RUN_END } = require("mocha").Runner.constants;

class CountingSpec extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats ?? this.stats;
      const skipped = pending > 0 ? `, ${pending} skipped` : "";
      process.stdout.write(`${passes} passed, ${failures} failed${skipped}\n`);
    });
  }
}

module.exports = CountingSpec;

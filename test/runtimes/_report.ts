// One row of the test:runtimes table, and the table itself.
import { formatResult } from "./conformance/report.mjs";

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface Row {
  readonly runtime: string;
  readonly version: string;
  readonly passed: number;
  readonly total: number;
  readonly ms: number;
  /** One line per check, and what went wrong outside the checks. */
  readonly lines: readonly string[];
  /** Set when the run itself failed (no binary, a crash, a time-out): the row is red whatever it counted. */
  readonly problem?: string;
}

export function isGreen(row: Row): boolean {
  return row.problem === undefined && row.total > 0 && row.passed === row.total;
}

/** A row from results a runtime handed back (a Worker's or a page's JSON). */
export function rowFromResults(runtime: string, version: string, results: readonly CheckResult[], total: number, ms: number): Row {
  const problem = results.length === total ? undefined : `${results.length} results for ${total} checks`;
  return {
    runtime,
    version,
    passed: results.filter((result) => result.ok).length,
    total,
    ms,
    lines: results.map((result) => formatResult(result)),
    ...(problem === undefined ? {} : { problem }),
  };
}

/**
 * A row from what a conformance program printed: lines per check, `runtime: <name> <version>`, and
 * `checks: passed/total` last. A run that exited non-zero while claiming success, or that did not
 * print its count, is a problem.
 */
export function rowFromOutput(runtime: string, output: { code: number | null; stdout: string; stderr: string }, ms: number): Row {
  const lines = output.stdout.split("\n").filter((line) => line !== "");
  const count = /^checks: (\d+)\/(\d+)$/.exec(lines.at(-1) ?? "");
  const version = lines.find((line) => line.startsWith("runtime: "))?.slice("runtime: ".length).split(" ").at(-1) ?? "?";
  const checks = lines.filter((line) => /^(ok {2}|FAIL) /.test(line));
  const passed = count ? Number(count[1]) : 0;
  const total = count ? Number(count[2]) : 0;
  const stderrTail = output.stderr.trim().split("\n").slice(-5).join("\n");
  let problem: string | undefined;
  if (!count) problem = `no result count (exit ${output.code})${stderrTail ? `: ${stderrTail}` : ""}`;
  else if ((output.code === 0) !== (passed === total)) problem = `exit ${output.code} with ${passed}/${total} passed`;
  else if (checks.length !== total) problem = `${checks.length} lines for ${total} checks`;
  return { runtime, version, passed, total, ms, lines: checks, ...(problem === undefined ? {} : { problem }) };
}

/** A row for a runtime that could not be run at all. */
export function missingRow(runtime: string, why: string): Row {
  return { runtime, version: "-", passed: 0, total: 0, ms: 0, lines: [], problem: why };
}

/** The table: runtime, version, checks passed, time. */
export function formatTable(rows: readonly Row[]): string {
  const cells = [
    ["runtime", "version", "checks passed", "time"],
    ...rows.map((row) => [
      row.runtime,
      row.version,
      row.problem === undefined ? `${row.passed}/${row.total}` : `${row.passed}/${row.total} (failed)`,
      `${(row.ms / 1000).toFixed(2)} s`,
    ]),
  ];
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((line) => line[column]!.length)));
  const render = (line: readonly string[]) => `| ${line.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  return [render(cells[0]!), `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`, ...cells.slice(1).map(render)].join("\n");
}

// How a conformance result is printed, in every runtime and by the harness alike.

/** One line per check: `ok   name (detail)` or `FAIL name (detail)`. */
export function formatResult({ name, ok, detail }) {
  return `${ok ? "ok  " : "FAIL"} ${name}${detail ? ` (${detail})` : ""}`;
}

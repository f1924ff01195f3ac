// @ts-check
// Compile-time checks for plain JavaScript (run by `npm run typecheck`, which checks this file
// because of the line above): a JS caller gets the typed paths without writing a type.
import { createCellsClient, createTokenClient } from "../../src/index.js";

/** @param {import("../../src/index.js").CellsClient} cells */
export async function health(cells) {
  const { data } = await cells.GET("/cells/status/check", { params: { query: { detail: true } } });
  /** @type {string | undefined} */
  const status = data?.status;
  return status;
}

export async function calls() {
  const cells = createCellsClient({ tokens: createTokenClient() });
  const { data } = await cells.GET("/cells/status/check", { params: { query: { detail: true } } });
  /** @type {string | undefined} */
  const status = data?.status;
  await health(cells);
  await cells.GET("/cells");
  // @ts-expect-error: no shipped controller has this path
  await cells.GET("/cells/status/chek");
  // @ts-expect-error: `detail` is a boolean
  await cells.GET("/cells/status/check", { params: { query: { detail: "yes" } } });
  return status;
}

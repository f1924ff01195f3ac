// Compile-time checks (run by `npm run typecheck`): without a type argument, createCellsClient is
// typed for every controller the package ships (generated/all-controllers.ts, from
// openapi/controllers.json), and CellsClient names that client's type.
import { createCellsClient, createTokenClient, type CellsClient } from "../../src/index.js";
import type { paths as StatusPaths } from "../../generated/cells-status.js";

export async function defaultClient(): Promise<void> {
  const tokens = createTokenClient();
  const cells = createCellsClient({ tokens }); // no type argument, no annotation

  // CellsStatusController, with its parameter and response types.
  const { data } = await cells.GET("/cells/status/check", { params: { query: { detail: true } } });
  const status: string | undefined = data?.status;
  void status;
  await cells.GET("/cells");

  // CellsAuthorityController.
  const body = { grant_type: "client_credentials" as const, client_id: "id", client_secret: "secret" };
  await cells.POST("/cells/connect/token", { body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });

  // @ts-expect-error: no shipped controller has this path
  await cells.GET("/cells/status/chek");

  // @ts-expect-error: `detail` is a boolean
  await cells.GET("/cells/status/check", { params: { query: { detail: "yes" } } });

  // @ts-expect-error: the token endpoint is POST only
  await cells.GET("/cells/connect/token");

  // CellsClient without a type argument is that client's type.
  const named: CellsClient = cells;
  await named.GET("/cells");

  // A type argument narrows the client to one controller.
  const statusOnly: CellsClient<StatusPaths> = createCellsClient<StatusPaths>({ tokens });
  await statusOnly.GET("/cells/status/check");
  // @ts-expect-error: the token path is not in CellsStatusController
  await statusOnly.POST("/cells/connect/token", { body });
}

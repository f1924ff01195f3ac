// Compile-time checks (run by `npm run typecheck`): the typed client refuses paths and query
// parameters the spec does not have. Each @ts-expect-error fails the build if it stops erroring.
import { createCellsClient, createTokenClient } from "../../src/index.js";
import type { paths } from "../../generated/cells-status.js";

export async function typedCalls(): Promise<void> {
  const cells = createCellsClient<paths>({ tokens: createTokenClient() });

  const { data } = await cells.GET("/cells/status/check", { params: { query: { detail: true } } });
  const status: string | undefined = data?.status;
  void status;

  // @ts-expect-error: no such path in CellsStatusController
  await cells.GET("/cells/status/chek");

  // @ts-expect-error: `details` is not a query parameter of CheckCloudServiceHealth
  await cells.GET("/cells/status/check", { params: { query: { details: true } } });

  // @ts-expect-error: `detail` is a boolean
  await cells.GET("/cells/status/check", { params: { query: { detail: "yes" } } });

  // @ts-expect-error: the health check is GET only
  await cells.POST("/cells/status/check", {});
}

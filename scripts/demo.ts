// `npm start`: the main job. Gets a token through the library and calls GET /cells/status/check
// through the authenticated client, against the real API when ASPOSE_CLOUD_CLIENT_ID and
// ASPOSE_CLOUD_CLIENT_SECRET are set, else against the embedded local emulator.
import { createCellsClient, createTokenClient, isCellsAuthError, type TokenEvent } from "../src/index.js";
import { ENV } from "../src/defaults.js";
import { readEnv } from "../src/util/env.js";
import { fingerprint } from "../src/util/fingerprint.js";
import { startTokenServer, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "../src/testing/index.js";
import type { paths } from "../generated/cells-status.js";

async function main(): Promise<number> {
  const live = readEnv(ENV.clientId, "clientId") !== undefined && readEnv(ENV.clientSecret, "clientSecret") !== undefined;
  const emulator = live ? undefined : await startTokenServer();
  try {
    let tokenRequests = 0;
    const onEvent = (event: TokenEvent) => {
      if (event.type === "token_requested") tokenRequests += 1;
    };
    const tokens = emulator
      ? createTokenClient({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, baseUrl: emulator.baseUrl, onEvent })
      : createTokenClient({ onEvent });
    const token = await tokens.getToken();
    const cells = createCellsClient<paths>({ tokens });
    const { data, error, response } = await cells.GET("/cells/status/check", { params: { query: { detail: true } } });

    const where = emulator ? `${tokens.baseUrl} (local emulator: ${ENV.clientId} and ${ENV.clientSecret} are not set)` : tokens.baseUrl;
    const components = Object.entries(data?.components ?? {}).map(([name, state]) => `${name}: ${state}`).join(", ");
    const lines = [
      "Aspose.Cells Cloud auth",
      `  API             ${where}`,
      `  Token           ${token.tokenType} …${fingerprint(token.accessToken).slice(-8)} (fingerprint), expires in ${token.expiresIn} s at ${new Date(token.expiresAt).toISOString()}`,
      `  Token requests  ${tokenRequests}`,
      data
        ? `  Service status  ${data.status}${data.service ? ` (${data.service}${components ? `; ${components}` : ""})` : ""}`
        : `  Service status  HTTP ${response.status}: ${JSON.stringify(error)}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    return data ? 0 : 1;
  } finally {
    await emulator?.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const what = isCellsAuthError(error) ? `${error.code}: ${error.message}` : String(error);
    process.stderr.write(`npm start: ${what}\n`);
    process.exitCode = 1;
  },
);

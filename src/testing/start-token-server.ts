import { createServer } from "node:http";
import { EmulatorServer } from "./emulator-server.js";
import { resolveOptions, type TokenServerOptions } from "./options.js";
import type { TokenServer } from "./server-types.js";
import { loadSpecBackend } from "./spec-backend.js";

/**
 * Starts a local stand-in for the Aspose.Cells Cloud API on 127.0.0.1, for tests that must run
 * offline. Endpoints, under `basePath` (default `/v4.0`):
 * - `POST /cells/connect/token`: the client-credentials grant with the spec's rules (form body,
 *   `grant_type=client_credentials`, the known id and secret, nothing in the query; body <= 16 KiB),
 *   OAuth-style 400/401/413 errors otherwise, and injected faults;
 * - `GET /cells/status/check` and `GET /cells`: 200 only for an unexpired, unrevoked token it issued,
 *   401 otherwise (expired ones are counted in `stats.expiredTokenCalls`);
 * - every operation of the specs in `options.specs` (with the package aspose-cells-codegen): the
 *   same token rules, requests validated against the spec (400 naming the problem), answers from
 *   the spec's examples or sampled from its schemas, `server.handle()` to answer one yourself.
 *
 * `Paths`, openapi-typescript's `paths` of those specs, types `server.handle()`.
 *
 * Always `await server.close()` when done (for example in an `after` hook).
 *
 * @example
 * const server = await startTokenServer({ tokenLifetimeSeconds: 2 });
 * server.inject({ kind: "status", status: 429, headers: { "Retry-After": "1" } });
 * // ... point the client at server.baseUrl with DEFAULT_CLIENT_ID / DEFAULT_CLIENT_SECRET ...
 * await server.close();
 */
export async function startTokenServer<Paths extends object = {}>(options?: TokenServerOptions): Promise<TokenServer<Paths>> {
  const resolved = resolveOptions(options);
  const specs = resolved.specs.length === 0 ? undefined : await loadSpecBackend(resolved.specs);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: resolved.port, host: "127.0.0.1" }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") {
    server.close();
    throw new Error("the emulator did not get a TCP port");
  }
  try {
    return new EmulatorServer(server, address.port, resolved, specs) as TokenServer<Paths>;
  } catch (error) {
    server.close();
    throw error;
  }
}

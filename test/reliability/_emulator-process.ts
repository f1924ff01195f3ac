// Child process side of _remote-emulator.ts: the emulator on its own event loop, as a real server
// would be, driven over IPC. Its options come in the first message (not argv: no secret in `ps`).
import { startTokenServer, type Fault, type TokenServerOptions } from "../../src/testing/index.js";

interface Command {
  readonly id: number;
  readonly op: "stats" | "inject" | "revokeAll" | "close";
  readonly fault?: Fault;
  readonly times?: number;
}

const options = await new Promise<TokenServerOptions>((resolve) => process.once("message", resolve));
const server = await startTokenServer(options);
process.send?.({ id: 0, result: { baseUrl: server.baseUrl } });

process.on("message", async (command: Command) => {
  let result: unknown;
  switch (command.op) {
    case "stats":
      result = server.stats;
      break;
    case "inject":
      server.inject(command.fault!, { times: command.times ?? 1 });
      result = true;
      break;
    case "revokeAll":
      result = server.revokeAll();
      break;
    case "close":
      await server.close();
      process.send?.({ id: command.id, result: true }, () => process.exit(0));
      return;
  }
  process.send?.({ id: command.id, result });
});
process.on("disconnect", () => void server.close().then(() => process.exit(0)));

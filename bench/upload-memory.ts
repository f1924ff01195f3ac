// 8. Memory of a large upload (issue 17): an authenticated API call must not hold a second copy
// of a large body (it is copied for a replay after a 401 only up to DEFAULTS.maxReplayBodyBytes).
// Each upload runs in its own child process (bench/_upload-child.ts), plain fetch (of a Request,
// and with the body in init) and ours in turns, against a server here that reads the whole body and then answers 200 (or 401: ours then
// hands the 401 back, it does not replay). The figure is the peak RSS (getrusage maxRSS) above the
// RSS with the body allocated, median of the rounds; the whole peak is in the detail.
import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { fixed, median, ratioRow, type BenchOptions, type Measurement, type Row } from "./_stats.js";

const execFileAsync = promisify(execFile);
const CHILD = fileURLToPath(new URL("./_upload-child.ts", import.meta.url));
/** `fetch` sends a Request (what authenticatedFetch receives), `fetch-init` passes the body in init (Node's fetch then holds one more copy). */
const CLIENTS = ["fetch", "fetch-init", "authenticatedFetch", "createCellsClient"] as const;

interface Sample {
  status: number;
  withBodyMiB: number;
  peakMiB: number;
}

/** A server that reads every request body to its end, then answers `status`. */
async function drainingServer(status: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.on("data", () => undefined);
    req.on("end", () => res.writeHead(status, { "content-type": "application/json" }).end('{"ok":false}'));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v4.0/upload`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function upload(client: string, url: string, mib: number): Promise<Sample> {
  const { stdout } = await execFileAsync(process.execPath, ["--import", "tsx", CHILD, client, url, String(mib)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as Sample;
}

export async function run({ quick }: BenchOptions): Promise<Measurement> {
  const mib = quick ? 64 : 512;
  const rounds = quick ? 1 : 3;
  const rows: Row[] = [];
  const data: Record<string, unknown> = { mib, rounds };
  for (const status of [200, 401]) {
    const server = await drainingServer(status);
    try {
      const samples = Object.fromEntries(CLIENTS.map((client) => [client, [] as Sample[]])) as Record<(typeof CLIENTS)[number], Sample[]>;
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < CLIENTS.length; i++) {
          const client = CLIENTS[(round + i) % CLIENTS.length]!;
          const sample = await upload(client, server.url, mib);
          if (sample.status !== status) throw new Error(`upload-memory: ${client} got ${sample.status}, not ${status}`);
          samples[client].push(sample);
        }
      }
      const over = (client: (typeof CLIENTS)[number]) => median(samples[client].map((sample) => sample.peakMiB - sample.withBodyMiB));
      const peak = (client: (typeof CLIENTS)[number]) => median(samples[client].map((sample) => sample.peakMiB));
      for (const client of ["authenticatedFetch", "createCellsClient"] as const) {
        rows.push(
          ratioRow(
            `upload-memory-${client}-${status}`,
            `Upload of ${mib} MiB (server answers ${status}${status === 401 ? ", not replayed" : ""}): peak RSS above the body, \`${client}\` vs plain \`fetch\``,
            over(client) / over("fetch"),
            { max: 1.2 },
            `+${fixed(over(client), 0)} MiB vs +${fixed(over("fetch"), 0)} MiB (fetch of a Request; fetch(url, { body }): +${fixed(over("fetch-init"), 0)} MiB); whole peak ${fixed(peak(client), 0)} vs ${fixed(peak("fetch"), 0)} MiB (${fixed(peak(client) / peak("fetch"))}x); one child process per upload, median of ${rounds}`,
          ),
        );
      }
      data[String(status)] = samples;
    } finally {
      await server.close();
    }
  }
  return { rows, data };
}

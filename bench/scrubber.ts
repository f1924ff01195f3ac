// 7. The secret scrubber against hostile bodies: its cost must not grow with the square of the
// secret's length (issue 17). For secrets of 1024, 4096 and 16 384 characters (4096 is the CLI's
// limit), every body of bench/_hostile-bodies.ts (64 KiB each) goes through `scrub` (what the
// library does to a body it receives) and `redactSecrets` over the whole body (what the CLI and the
// emulator's request log do to text of unknown length). Interleaved rounds, medians per body.
import { redactSecrets, scrub } from "../src/util/redact.js";
import { hexSecret, hostileBodies } from "./_hostile-bodies.js";
import { fixed, median, ratioRow, type BenchOptions, type Measurement, type Row } from "./_stats.js";

const LENGTHS = [1024, 4096, 16_384] as const;
const FUNCTIONS = { scrub: (body: string, secret: string) => scrub(body, [secret]), redactSecrets: (body: string, secret: string) => redactSecrets(body, [secret]) };
type Fn = keyof typeof FUNCTIONS;

/** Milliseconds each body took, per function and secret length: `[fn][length][body]` holds the samples. */
type Samples = Record<Fn, Record<number, Record<string, number[]>>>;

export async function run({ quick }: BenchOptions): Promise<Measurement> {
  const rounds = quick ? 2 : 7;
  const secrets = Object.fromEntries(LENGTHS.map((length) => [length, hexSecret(length)]));
  const bodies = Object.fromEntries(LENGTHS.map((length) => [length, hostileBodies(secrets[length]!)]));
  const names = Object.keys(bodies[LENGTHS[0]]!);
  const samples = Object.fromEntries(
    (Object.keys(FUNCTIONS) as Fn[]).map((fn) => [fn, Object.fromEntries(LENGTHS.map((length) => [length, Object.fromEntries(names.map((name) => [name, [] as number[]]))]))]),
  ) as Samples;
  // One warm-up round (JIT, regex tier-up), then rounds that rotate the order of the secret lengths.
  for (let round = 0; round <= rounds; round++) {
    for (let i = 0; i < LENGTHS.length; i++) {
      const length = LENGTHS[(round + i) % LENGTHS.length]!;
      for (const name of names) {
        for (const fn of Object.keys(FUNCTIONS) as Fn[]) {
          const start = performance.now();
          FUNCTIONS[fn](bodies[length]![name]!, secrets[length]!);
          if (round > 0) samples[fn][length]![name]!.push(performance.now() - start);
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const medians = (fn: Fn, length: number) => names.map((name) => ({ name, ms: median(samples[fn][length]![name]!) }));
  const worst = (fn: Fn, length: number) => medians(fn, length).reduce((a, b) => (b.ms > a.ms ? b : a));
  const total = (fn: Fn, length: number) => medians(fn, length).reduce((sum, { ms }) => sum + ms, 0);

  const rows: Row[] = [];
  for (const fn of Object.keys(FUNCTIONS) as Fn[]) {
    const at4096 = worst(fn, 4096);
    const what = fn === "scrub" ? "`scrub` (a body the library receives)" : "`redactSecrets` over the whole body (CLI, emulator log)";
    rows.push({
      id: `scrubber-${fn}-4096`,
      what: `Scrubber: ${what}, 4096-character secret, most costly of ${names.length} hostile 64 KiB bodies`,
      result: `${fixed(at4096.ms, 1)} ms`,
      target: "< 500 ms",
      met: at4096.ms < 500,
      detail: `worst body: ${at4096.name}; 1024 characters: ${fixed(worst(fn, 1024).ms, 1)} ms; 16 384 characters: ${fixed(worst(fn, 16_384).ms, 1)} ms (${worst(fn, 16_384).name}); median of ${rounds} rounds`,
    });
    rows.push(
      ratioRow(
        `scrubber-${fn}-ratio`,
        `Scrubber: ${what}, 4096 vs 1024-character secret (all ${names.length} bodies summed)`,
        total(fn, 4096) / total(fn, 1024),
        { max: 6 },
        `${fixed(total(fn, 4096), 1)} ms vs ${fixed(total(fn, 1024), 1)} ms; 16 384 vs 4096: ${fixed(total(fn, 16_384) / total(fn, 4096))}x; largest single-body ratio 4096 vs 1024: ${fixed(Math.max(...names.map((name) => median(samples[fn][4096]![name]!) / median(samples[fn][1024]![name]!))))}x`,
      ),
    );
  }
  return {
    rows,
    data: Object.fromEntries((Object.keys(FUNCTIONS) as Fn[]).map((fn) => [fn, Object.fromEntries(LENGTHS.map((length) => [length, Object.fromEntries(medians(fn, length).map(({ name, ms }) => [name, ms]))]))])),
  };
}

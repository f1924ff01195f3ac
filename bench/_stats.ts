// Shared helpers of the benchmarks: interleaved rounds, medians, and the row every measurement reports.

/** One line of the results table. Every figure is a ratio against a baseline measured in the same run. */
export interface Row {
  /** Stable id, for results.json. */
  readonly id: string;
  /** What is measured, against what. */
  readonly what: string;
  /** The figure: a ratio ("2.1x") or a count ("1 request"). */
  readonly result: string;
  /** The ratio itself, when the figure is one. */
  readonly ratio?: number | undefined;
  /** The target ("<= 3x"), or "-" for a figure reported without one. */
  readonly target: string;
  /** Whether the target is met; undefined for a figure without a target. */
  readonly met?: boolean | undefined;
  /** The raw medians behind the figure, and what limits it. */
  readonly detail: string;
}

/** What one measurement module hands back to bench/run.ts. */
export interface Measurement {
  readonly rows: readonly Row[];
  /** Raw numbers for bench/results.json. */
  readonly data: Record<string, unknown>;
}

export interface BenchOptions {
  /** Fewer rounds and smaller workloads, so that the whole run finishes in under a minute. */
  readonly quick: boolean;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Runs every case once per round, rotating which goes first, so that drift on a noisy machine
 * (other processes, GC, CPU frequency) hits every case alike. Each case returns its own sample
 * (a duration, a rate...). `warmup` rounds run first and are thrown away (JIT, connection pools).
 */
export async function interleaved<K extends string>(
  rounds: number,
  cases: Record<K, () => Promise<number>>,
  warmup = 1,
): Promise<Record<K, number[]>> {
  const names = Object.keys(cases) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < warmup + rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      const sample = await cases[name]();
      if (round >= warmup) samples[name].push(sample);
    }
  }
  return samples;
}

/** Nanoseconds since an arbitrary origin, as a number. */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}

/** Milliseconds since an arbitrary origin, sub-millisecond precision. */
export function nowMs(): number {
  return performance.now();
}

export function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** "2.13x" */
export function times(ratio: number): string {
  return `${fixed(ratio)}x`;
}

/** A ratio row with an upper (`<=`) or lower (`>=`) bound. */
export function ratioRow(
  id: string,
  what: string,
  ratio: number,
  bound: { max?: number; min?: number },
  detail: string,
): Row {
  const met = bound.max !== undefined ? ratio <= bound.max : bound.min !== undefined ? ratio >= bound.min : undefined;
  const target = bound.max !== undefined ? `<= ${bound.max}x` : bound.min !== undefined ? `>= ${bound.min}x` : "-";
  return { id, what, result: times(ratio), ratio, target, met, detail };
}

/** Lets timers, I/O and pending promise callbacks run. */
export function pause(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

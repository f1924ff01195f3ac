// Simulated time for the side-by-side run: our client and the emulator take a `now` option; the
// official SDK reads the time only through `new Date().getTime()` (internal/auth.js), so for its
// run the global Date is swapped for one that reads the same virtual clock.

export interface VirtualClock {
  now(): number;
  advance(ms: number): void;
}

export function virtualClock(start = Date.now()): VirtualClock {
  let time = start;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
  };
}

/**
 * Replaces `globalThis.Date` so that `new Date()` and `Date.now()` read `clock`; dates built from
 * arguments, `Date.parse` and `Date.UTC` are unchanged. Returns the function that restores it.
 */
export function useVirtualDate(clock: VirtualClock): () => void {
  const RealDate = globalThis.Date;
  const VirtualDate = function (this: unknown, ...args: unknown[]) {
    if (new.target === undefined) return new RealDate(clock.now()).toString();
    return args.length === 0 ? new RealDate(clock.now()) : Reflect.construct(RealDate, args);
  } as unknown as DateConstructor;
  Object.setPrototypeOf(VirtualDate, RealDate);
  Object.defineProperty(VirtualDate, "prototype", { value: RealDate.prototype });
  Object.defineProperty(VirtualDate, "now", { value: () => clock.now() });
  globalThis.Date = VirtualDate;
  return () => {
    globalThis.Date = RealDate;
  };
}

import { CellsAuthError } from "../errors.js";

export function abortedError(): CellsAuthError {
  return new CellsAuthError("aborted", "Aborted by the caller's signal.");
}

/** Resolves after `ms`, or rejects with `aborted` as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Waits for a shared promise on behalf of one caller: the caller's abort rejects this wait only
 * (with `aborted`), the shared work goes on for everyone else.
 */
export function waitFor<T>(shared: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return signal ? untilAborted(shared, signal, abortedError) : shared;
}

const UNFOLLOWED = Object.freeze({ signal: undefined, release: () => undefined });

/**
 * A platform `AbortSignal` that follows a caller's signal, which is touched here only: one that
 * throws when used is `invalid_config`, and letting go of it never throws. The rest of the library
 * then deals with a real signal, never with the caller's object.
 */
export function follow(signal: AbortSignal | undefined): { readonly signal: AbortSignal | undefined; release(): void } {
  if (signal === undefined) return UNFOLLOWED;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  try {
    if (signal.aborted) controller.abort();
    else signal.addEventListener("abort", onAbort, { once: true });
  } catch (error) {
    throw new CellsAuthError("invalid_config", "signal threw when used as an AbortSignal.", { cause: error });
  }
  return {
    signal: controller.signal,
    release() {
      try {
        signal.removeEventListener("abort", onAbort);
      } catch {
        // Its failure to let go is its own.
      }
    },
  };
}

/** True for something that behaves as an `AbortSignal` (also one from another realm). */
export function isAbortSignal(value: unknown): value is AbortSignal {
  const signal = value as AbortSignal | null;
  try {
    return typeof signal === "object" && signal !== null && typeof signal.aborted === "boolean" &&
      typeof signal.addEventListener === "function" && typeof signal.removeEventListener === "function";
  } catch {
    return false;
  }
}

/**
 * `work`, or a rejection as soon as `signal` aborts (with `reason()`, by default the signal's
 * reason), even when `work` ignores the signal (an injected fetch may): its late outcome is dropped.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, reason: () => unknown = () => signal.reason): Promise<T> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(reason());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reason());
    signal.addEventListener("abort", onAbort, { once: true });
    const done = () => signal.removeEventListener("abort", onAbort);
    work.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}

/**
 * What `work()` resolves to, or an Error saying `what` took longer than `ms`. A synchronous throw
 * or a non-promise result of `work` is taken like a rejection or a resolution; the timer never
 * outlives the race.
 */
export function withDeadline<T>(work: () => T | Promise<T>, ms: number, what: string): Promise<T> {
  const running = Promise.resolve().then(work);
  running.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    running.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

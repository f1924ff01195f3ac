import { CellsAuthError } from "./errors.js";

export function abortedError(): CellsAuthError {
  return new CellsAuthError("aborted", "The operation was aborted by the caller's signal.");
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

/** True for something that behaves as an `AbortSignal` (also one from another realm). */
export function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AbortSignal).aborted === "boolean" &&
    typeof (value as AbortSignal).addEventListener === "function"
  );
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
    const done = () => {
      try {
        signal.removeEventListener("abort", onAbort);
      } catch {
        // A signal that cannot let go of a listener must not leave this wait unsettled.
      }
    };
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

// Waiting and catching in tests (outside the spec glob): one helper for each job, shared by every
// spec. No timing windows: a wait polls for what it waits for, with a generous limit.

/**
 * Waits until `condition()` holds (it may be async), looking every few milliseconds, and fails
 * after `timeoutMs`: for background work whose end the test cannot await (a soft refresh, a child
 * process's output), without a timing window a busy machine could miss.
 */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`still not true after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The rejection of `promise`; fails the test when it resolves, or (given `is`) when it rejects with
 * something `is` does not recognise (that rejection is rethrown as it is).
 */
export async function rejectionOf<E = Record<string, unknown> & Error>(promise: Promise<unknown>, is?: (error: unknown) => error is E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (is && !is(error)) throw error;
    return error as E;
  }
  throw new Error("expected a rejection, but the promise resolved");
}

/** How `promise` settled, to look at either outcome. */
export async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/** One turn of the event loop: every promise callback pending now has run, and unhandled rejections have been reported. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Calls `onGone` once, when the process that started this one has ended (this process is then
 * adopted by another: init, or a subreaper), looking every `intervalMs`. The check never keeps the
 * process alive. Returns the function that stops watching.
 */
export function watchParent(onGone: () => void, intervalMs = 250): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

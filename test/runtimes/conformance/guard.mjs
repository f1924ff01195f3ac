// Watches the globals that only Node (and runtimes that copy it) have, from the moment this module
// runs until stopWatching(): conformance.mjs imports it just before the package, so what it sees
// is what importing the package touched. Where such a global exists, reading it still works.
const NODE_ONLY = ["process", "Buffer", "global", "require", "module", "exports", "__dirname", "__filename", "setImmediate", "clearImmediate"];

const touched = new Set();
const watched = [];
const restore = [];

for (const name of NODE_ONLY) {
  const original = Object.getOwnPropertyDescriptor(globalThis, name);
  if (original !== undefined && !original.configurable) continue;
  watched.push(name);
  const read = () => (original === undefined ? undefined : "value" in original ? original.value : original.get?.call(globalThis));
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: original?.enumerable ?? false,
    get() {
      touched.add(name);
      return read();
    },
    set(value) {
      touched.add(name);
      Object.defineProperty(globalThis, name, { configurable: true, enumerable: true, writable: true, value });
    },
  });
  restore.push(() => {
    if (original === undefined) delete globalThis[name];
    else Object.defineProperty(globalThis, name, original);
  });
}

/** Ends the watch and puts every global back; returns which were watched and which were touched. */
export function stopWatching() {
  for (const undo of restore.splice(0)) undo();
  return { watched, touched: [...touched] };
}

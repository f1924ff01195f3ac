import { CellsAuthError } from "../errors.js";
import { emit, type TokenEventListener } from "../token/events.js";

/**
 * One `onEvent` listener out of several (`undefined` ones are skipped): each gets every event, in
 * the order given. One that throws never keeps the others from an event, nor breaks the token
 * client. Throws `invalid_config` for anything but a function or `undefined`.
 */
export function combineListeners(...listeners: ReadonlyArray<TokenEventListener | undefined>): TokenEventListener {
  const chosen = listeners.filter((listener, index): listener is TokenEventListener => {
    if (listener === undefined || typeof listener === "function") return listener !== undefined;
    throw new CellsAuthError("invalid_config", `combineListeners() takes onEvent functions; argument ${index + 1} is ${listener === null ? "null" : typeof listener}.`);
  });
  return (event) => {
    for (const listener of chosen) emit(listener, event);
  };
}

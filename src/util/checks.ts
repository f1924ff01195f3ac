import { CellsAuthError } from "../errors.js";
import { isAbortSignal } from "./signals.js";

/**
 * The option-checking helpers, every one: each reads a caller's value once and either returns it
 * checked or throws an `invalid_config` naming the option. Never a raw error, never a call into a
 * caller's object beyond the one read.
 */

/** The longest delay `setTimeout` takes. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Reads `keys` of a caller's options object, once each. A Proxy or a getter that throws is an
 * `invalid_config` naming the option, never a raw error; a primitive or an array is refused.
 */
export function readOptions<K extends string>(value: unknown, keys: readonly K[], name = "options"): Partial<Record<K, unknown>> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CellsAuthError("invalid_config", `${name} must be an object (got ${shown(value)}).`);
  }
  const read: Partial<Record<K, unknown>> = {};
  for (const key of keys) {
    try {
      read[key] = (value as Record<K, unknown>)[key];
    } catch (error) {
      throw new CellsAuthError("invalid_config", `${name}.${key} threw when read.`, { cause: error });
    }
  }
  return read;
}

/** `value` if it is undefined or of `type`, else `invalid_config` naming the option. */
export function optional<T>(value: unknown, type: "string" | "boolean" | "function", name: string): T | undefined {
  if (value === undefined || typeof value === type) return value as T | undefined;
  throw new CellsAuthError("invalid_config", `${name} must be a ${type} (got ${shown(value)}).`);
}

/** A duration option in milliseconds, from `min` to `MAX_TIMER_MS`, or `fallback` when not given. */
export function duration(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > MAX_TIMER_MS) {
    throw new CellsAuthError("invalid_config", `${name} must be milliseconds from ${min} to ${MAX_TIMER_MS} (got ${shown(value)}).`);
  }
  return value;
}

/** A whole number from 0 to 100, or `fallback` when not given. */
export function count(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 100) {
    throw new CellsAuthError("invalid_config", `${name} must be a whole number from 0 to 100 (got ${shown(value)}).`);
  }
  return value;
}

/** `value` if it is undefined or behaves as an `AbortSignal`, else `invalid_config`. */
export function abortSignal(value: unknown): AbortSignal | undefined {
  if (value === undefined || isAbortSignal(value)) return value;
  throw new CellsAuthError("invalid_config", "signal must be an AbortSignal.");
}

/**
 * A caller's clock, made safe to call anywhere: a throw or a value that is not a finite number
 * becomes an `invalid_config` (never a raw error, never a NaN deadline).
 */
export function clock(value: unknown, name: string): (() => number) | undefined {
  const read = optional<() => unknown>(value, "function", name);
  if (read === undefined) return undefined;
  return () => {
    let time: unknown;
    try {
      time = read();
    } catch (error) {
      throw new CellsAuthError("invalid_config", `${name}() threw; it must return milliseconds.`, { cause: error });
    }
    if (typeof time !== "number" || !Number.isFinite(time)) {
      throw new CellsAuthError("invalid_config", `${name}() must return finite milliseconds (got ${shown(time)}).`);
    }
    return time;
  };
}

/**
 * The default monotonic clock: `performance.now()` where the runtime has it (every one this library
 * supports does), looked up once here rather than on every reading (the warm path reads it per call).
 */
export function monotonicClock(): () => number {
  const performance = globalThis.performance;
  return performance ? () => performance.now() : Date.now;
}

/** A number as written, anything else by its type: never calls into a caller's object. */
function shown(value: unknown): string {
  return typeof value === "number" ? String(value) : value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

// Checks of the plain-data arguments that callers hand the library (options
// objects, requests, jobs): the wrong kind of value or a misspelt key is
// refused with a GatedError naming it, never silently ignored.

import { GatedError } from "../errors.ts";

/** What a value is, for messages. */
export function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string "${v.length > 40 ? `${v.slice(0, 39)}…` : v}"`;
  return typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}

/** A plain object (not null, not an array). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** Refuses a value that is not a plain object with only the given keys (undefined values included). */
export function onlyKeys(v: unknown, keys: readonly string[], what: string): void {
  if (!isPlainObject(v)) throw new GatedError(`${what} must be an object, got ${kindOf(v)}`);
  const unknown = Object.keys(v).filter((k) => !keys.includes(k));
  if (unknown.length) throw new GatedError(`${what} has unknown ${unknown.length === 1 ? "key" : "keys"} ${unknown.map((k) => `"${k}"`).join(", ")}; it takes ${keys.join(", ")}`);
}

/** Refuses a value present and not a boolean. */
export function optionalBoolean(v: unknown, what: string): void {
  if (v !== undefined && typeof v !== "boolean") throw new GatedError(`${what} must be true or false, got ${kindOf(v)}`);
}

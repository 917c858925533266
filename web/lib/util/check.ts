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

type Obj = Record<string, unknown>;

/**
 * The checks of one record read from a file (a model config, a card, a
 * session state, a preset's settings): each failure is a GatedError that
 * starts with what the record is and names the entry, so every file check
 * words its refusals the same way.
 */
export class Checker {
  constructor(private readonly what: string) {}

  fail(msg: string): never {
    throw new GatedError(this.what ? `${this.what}: ${msg}` : msg);
  }

  /** A plain object, or a refusal saying what it should be. */
  object(v: unknown, message: string): Obj {
    return isPlainObject(v) ? v : this.fail(message);
  }

  /** Every required entry present, and none but the required and optional ones. */
  keys(o: Obj, where: string, required: readonly string[], optional: readonly string[] = []): void {
    const missing = required.filter((k) => o[k] === undefined);
    if (missing.length) this.fail(`${where} lacks ${missing.join(", ")}`);
    const unknown = Object.keys(o).filter((k) => !required.includes(k) && !optional.includes(k));
    if (unknown.length) this.fail(`${where} has unknown entries ${unknown.join(", ")}`);
  }

  int(v: unknown, where: string, min: number, max: number): number {
    return Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : this.fail(`${where} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }

  /** A whole number ≥ 0 that a double holds exactly (steps, epochs, seeds). */
  count(v: unknown, where: string): number {
    return Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : this.fail(`${where} must be a count, got ${JSON.stringify(v)}`);
  }

  finite(v: unknown, where: string): number {
    return typeof v === "number" && Number.isFinite(v) ? v : this.fail(`${where} must be a finite number, got ${JSON.stringify(v)}`);
  }

  /** A dropout rate: [0, 1). */
  probability(v: unknown, where: string): number {
    return typeof v === "number" && v >= 0 && v < 1 ? v : this.fail(`${where} must be in [0, 1), got ${JSON.stringify(v)}`);
  }

  boolean(v: unknown, where: string): boolean {
    return typeof v === "boolean" ? v : this.fail(`${where} must be true or false`);
  }

  text(v: unknown, where: string, max: number): string {
    return typeof v === "string" && v.length <= max ? v : this.fail(`${where} must be a text of at most ${max} characters`);
  }

  oneOf<T extends string>(v: unknown, where: string, values: readonly T[]): T {
    return values.find((x) => x === v) ?? this.fail(`${where} must be one of ${values.join(", ")}, got ${JSON.stringify(v)}`);
  }
}

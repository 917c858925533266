// Asserting refusals: a GatedError whose message matches.

import { expect } from "vitest";
import { GatedError } from "../../web/lib/index.ts";

export function refuses(fn: () => unknown, pattern: RegExp): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GatedError);
  expect((error as Error).message).toMatch(pattern);
}

// Assertions for float arrays: every element within abs + rel·|expected|,
// reporting the worst element when one is not.

import { expect } from "vitest";

export interface Close {
  abs: number;
  rel: number;
}

/** The bar for float32 against PyTorch: 1e-4 relative, 1e-5 absolute. */
export const TORCH_F32: Close = { abs: 1e-5, rel: 1e-4 };

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Close, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (tol.abs + tol.rel * Math.abs(expected[i]));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (±${tol.abs} + ${tol.rel}·|x|)`);
  }
}

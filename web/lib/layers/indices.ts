// Checks of the values that kernels index memory by — token ids, class
// targets, sequence lengths — made on the host before the call: a kernel
// handed an id past its table would read or write another tensor's memory.
// Each refusal names the first bad value and where it was.

import { GatedError } from "../errors.ts";

export interface IndexRule {
  /** Who is checking, for the message ("embedding", "cross-entropy", …). */
  where: string;
  /** What one value is called, given its position ("token 3 of sequence 1"). */
  name: (i: number) => string;
  /** Valid values are the integers in [min, max]. */
  min: number;
  max: number;
  /** One more value that is allowed outside the range (an ignore index). */
  except?: number;
}

export function checkIndices(values: ArrayLike<number>, rule: IndexRule): void {
  const { min, max, except } = rule;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isInteger(v) && v >= min && v <= max) continue;
    if (except !== undefined && v === except) continue;
    const range = max < min ? "there are none" : `must be an integer from ${min} to ${max}`;
    throw new GatedError(`${rule.where}: ${rule.name(i)} is ${v}; ${range}${except !== undefined ? ` (or ${except} to be ignored)` : ""}`);
  }
}

/** Position i of a time-major T×B array as words. */
export const timeMajor = (B: number, item = "token") => (i: number) => `${item} ${Math.floor(i / B)} of sequence ${i % B}`;

/** Lengths of sequences, each from 1 to T. */
export function checkLengths(lengths: ArrayLike<number>, T: number, where: string, name = (b: number) => `the length of sequence ${b}`): void {
  checkIndices(lengths, { where, name, min: 1, max: T });
}

/** The same check on B lengths already in engine memory (an i32 pointer; 0 means none). */
export function checkLengthsAt(i32: Int32Array, ptr: number, B: number, T: number, where: string): void {
  if (ptr) checkLengths(i32.subarray(ptr >> 2, (ptr >> 2) + B), T, where);
}

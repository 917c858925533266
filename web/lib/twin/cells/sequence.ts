// JS twin of assembly/cells/sequence.ts.

import type { Heap } from "../../memory/heap.ts";
import { gemmPacked, packB } from "../gemm.ts";
import { addMul, mul } from "../elementwise.ts";

export function isActive(h: Heap, lengths: number, b: number, t: number): boolean {
  return lengths === 0 || t < h.i32[(lengths >> 2) + b];
}

export function timeAt(s: number, T: number, reverse: boolean): number {
  return reverse ? T - 1 - s : s;
}

export function packTransposed(h: Heap, N: number, K: number, W: number, work: number): void {
  packB(h, K, N, W, 1, K, work);
}

export function packPlain(h: Heap, K: number, N: number, W: number, work: number): void {
  packB(h, K, N, W, N, 1, work);
}

export function saveState(h: Heap, B: number, H: number, state: number, hprev: number, t: number): number {
  const hp = hprev + 4 * t * B * H;
  h.f.copyWithin(hp >> 2, state >> 2, (state >> 2) + B * H);
  return hp;
}

export function recurrentInput(h: Heap, B: number, H: number, hp: number, hmask: number, hdrop: number, t: number): number {
  if (hmask === 0) return hp;
  const hd = hdrop + 4 * t * B * H;
  mul(h, B * H, hp, hmask, hd);
  return hd;
}

export function recurrentAccumulator(h: Heap, B: number, H: number, dh: number, hmask: number, acc: number): number {
  if (hmask === 0) return dh;
  h.f.fill(0, acc >> 2, (acc >> 2) + B * H);
  return acc;
}

export function recurrentGrad(
  h: Heap, B: number, H: number, K: number, dg: number, ldg: number, wp: number, dh: number, hmask: number, acc: number,
): void {
  gemmPacked(h, B, H, K, dg, ldg, 1, wp, acc, H);
  if (hmask !== 0) addMul(h, B * H, acc, hmask, dh);
}

export function initState(h: Heap, n: number, state: number, init: number): void {
  if (init === 0) h.f.fill(0, state >> 2, (state >> 2) + n);
  else h.f.copyWithin(state >> 2, init >> 2, (init >> 2) + n);
}

/** Records step t's total state gradient (row b) into dhs (T×B×H) when asked for; padding rows get 0. */
export function recordStep(h: Heap, dhs: number, t: number, B: number, b: number, H: number, dh: number): void {
  if (dhs === 0) return;
  const row = (dhs >> 2) + (t * B + b) * H;
  if (dh === 0) h.f.fill(0, row, row + H);
  else h.f.copyWithin(row, dh >> 2, (dh >> 2) + H);
}

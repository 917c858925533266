// JS twin of assembly/cells/sequence.ts.

import type { Heap } from "../../memory/heap.ts";
import { gemmNN, gemmPacked, gemmTN, packB } from "../gemm.ts";
import { colSums, fillRows } from "../elementwise.ts";

export function isActive(h: Heap, lengths: number, b: number, t: number): boolean {
  return lengths === 0 || t < h.i32[(lengths >> 2) + b];
}

export function timeAt(s: number, T: number, reverse: boolean): number {
  return reverse ? T - 1 - s : s;
}

export function projectInputs(
  h: Heap, M: number, N: number, K: number, x: number, ldx: number, W: number, b1: number, b2: number, G: number, work: number,
): void {
  fillRows(h, M, N, G, N, b1, b2);
  packB(h, K, N, W, 1, K, work);
  gemmPacked(h, M, N, K, x, ldx, 1, work, G, N);
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

export function initState(h: Heap, n: number, state: number, init: number): void {
  if (init === 0) h.f.fill(0, state >> 2, (state >> 2) + n);
  else h.f.copyWithin(state >> 2, init >> 2, (init >> 2) + n);
}

export function inputGrads(
  h: Heap, M: number, G: number, K: number, dG: number, x: number, ldx: number, W: number, dW: number, db: number,
  dx: number, lddx: number, work: number,
): void {
  gemmTN(h, G, K, M, dG, G, x, ldx, dW, K, work);
  if (db !== 0) colSums(h, M, G, dG, G, db);
  if (dx !== 0) gemmNN(h, M, K, G, dG, G, W, K, dx, lddx, work);
}

export function hiddenGrads(
  h: Heap, M: number, G: number, H: number, dG: number, hprev: number, dW: number, db: number, work: number,
): void {
  gemmTN(h, G, H, M, dG, G, hprev, H, dW, H, work);
  if (db !== 0) colSums(h, M, G, dG, G, db);
}

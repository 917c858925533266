// JS twin of assembly/kernels/linear.ts.

import type { Heap } from "../memory/heap.ts";
import { gemmNN, gemmPacked, gemmTN, packB } from "./gemm.ts";
import { colSums, fillRows } from "./elementwise.ts";

export function linearForward(
  h: Heap, M: number, N: number, K: number, x: number, ldx: number, W: number, b1: number, b2: number, y: number, ldy: number,
  work: number,
): void {
  fillRows(h, M, N, y, ldy, b1, b2);
  packB(h, K, N, W, 1, K, work);
  gemmPacked(h, M, N, K, x, ldx, 1, work, y, ldy);
}

export function linearBackward(
  h: Heap, M: number, N: number, K: number, dy: number, lddy: number, x: number, ldx: number, W: number, dW: number,
  db: number, dx: number, lddx: number, work: number,
): void {
  gemmTN(h, N, K, M, dy, lddy, x, ldx, dW, K, work);
  if (db !== 0) colSums(h, M, N, dy, lddy, db);
  if (dx !== 0) gemmNN(h, M, K, N, dy, lddy, W, K, dx, lddx, work);
}

// Affine maps y = x·Wᵀ + b with W in PyTorch's [out, in] layout, and their
// gradients: the Linear layer, and the input projection of every recurrent cell.

import { gemmNN, gemmPacked, gemmTN, nnWork, packB, tnWork } from "./gemm";
import { colSums, fillRows } from "./elementwise";

/**
 * y (M×N, leading dimension ldy) = x (M×K, ldx)·Wᵀ + b1 + b2, W stored N×K.
 * Null biases are zero. work: linearWork(M, N, K) floats (forward needs nnWork(K, N)).
 */
export function linearForward(
  M: i32, N: i32, K: i32, x: usize, ldx: i32, W: usize, b1: usize, b2: usize, y: usize, ldy: i32, work: usize,
): void {
  fillRows(M, N, y, ldy, b1, b2);
  packB(K, N, W, 1, K, work);
  gemmPacked(M, N, K, x, ldx, 1, work, y, ldy);
}

/**
 * From dy (M×N, lddy): dW += dyᵀ·x, db += Σ rows of dy (db may be null),
 * dx += dy·W (skipped when dx is null). work: linearWork(M, N, K) floats.
 */
export function linearBackward(
  M: i32, N: i32, K: i32, dy: usize, lddy: i32, x: usize, ldx: i32, W: usize, dW: usize, db: usize, dx: usize, lddx: i32,
  work: usize,
): void {
  gemmTN(N, K, M, dy, lddy, x, ldx, dW, K, work);
  if (db != 0) colSums(M, N, dy, lddy, db);
  if (dx != 0) gemmNN(M, K, N, dy, lddy, W, K, dx, lddx, work);
}

/** Floats of workspace linearForward and linearBackward need for an M×K input and N outputs. */
export function linearWork(M: i32, N: i32, K: i32): i32 {
  return max(nnWork(K, N), max(tnWork(M, K), nnWork(N, K)));
}

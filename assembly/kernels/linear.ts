// Affine maps y = x·Wᵀ + b with W in PyTorch's [out, in] layout, and their
// gradients: the Linear layer, and the input projection of every recurrent cell.

import { gemmNN, gemmPacked, gemmTN, gemmTN2, nnWork, packB, packedSize, tnPairWork, tnWork } from "./gemm";
import { colSums, fillRows } from "./elementwise";

/**
 * y (M×N, leading dimension ldy) = x (M×K, ldx)·Wᵀ + b1 + b2, W stored N×K.
 * Null biases are zero. work: linearWork(M, N, K) floats (forward needs packedSize(K, N)).
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
  // The forward packs W whole; the backward's products pack one k-block at a time.
  return max(packedSize(K, N), max(tnWork(M, K), nnWork(N, K)));
}

/**
 * linearBackward of a cell's two projections, which share their output gradient dy (M×N, lddy):
 * dW1 += dyᵀ·x1 (x1: M×K1, ldx1), dW2 += dyᵀ·x2 (x2: M×K2, ldx2), db1 and db2 += Σ rows of dy
 * (either may be null), dx1 += dy·W1 (skipped when null). One pass of transposed dy blocks serves
 * both weight gradients. work: linearPairWork(M, N, K1, K2) floats.
 */
export function linearBackwardPair(
  M: i32, N: i32, K1: i32, K2: i32, dy: usize, lddy: i32, x1: usize, ldx1: i32, x2: usize, ldx2: i32, W1: usize, dW1: usize,
  db1: usize, dW2: usize, db2: usize, dx1: usize, lddx1: i32, work: usize,
): void {
  gemmTN2(N, M, dy, lddy, K1, x1, ldx1, dW1, K1, K2, x2, ldx2, dW2, K2, work);
  if (db1 != 0) colSums(M, N, dy, lddy, db1);
  if (db2 != 0) colSums(M, N, dy, lddy, db2);
  if (dx1 != 0) gemmNN(M, K1, N, dy, lddy, W1, K1, dx1, lddx1, work);
}

/** Floats of workspace linearBackwardPair needs. */
export function linearPairWork(M: i32, N: i32, K1: i32, K2: i32): i32 {
  return max(tnPairWork(M, K1, K2), nnWork(N, K1));
}


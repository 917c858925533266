// What every recurrent cell shares: the packed-sequence mask, the input
// projection for all steps as one GEMM, and the weight, bias and input
// gradients as large GEMMs once BPTT has produced the gate gradients.

import { gemmNN, gemmPacked, gemmTN, packB } from "../kernels/gemm";
import { at, colSums, fillRows } from "../kernels/elementwise";

/** Whether step t of sequence b is real (not padding); lengths is null or i32[B]. */
@inline export function isActive(lengths: usize, b: i32, t: i32): bool {
  return lengths == 0 || t < load<i32>(lengths + (<usize>b << 2));
}

/** Time index of processing step s: forward runs 0..T-1, reverse T-1..0. */
@inline export function timeAt(s: i32, T: i32, reverse: bool): i32 {
  return reverse ? T - 1 - s : s;
}

/** G (M×N) = x·Wᵀ + b1 + b2, W stored N×K (PyTorch layout). Uses packedSize(K, N) floats of work. */
export function projectInputs(M: i32, N: i32, K: i32, x: usize, ldx: i32, W: usize, b1: usize, b2: usize, G: usize, work: usize): void {
  fillRows(M, N, G, N, b1, b2);
  packB(K, N, W, 1, K, work);
  gemmPacked(M, N, K, x, ldx, 1, work, G, N);
}

/** Packs W (stored N×K) as the right operand of h·Wᵀ, done once per sequence. */
export function packTransposed(N: i32, K: i32, W: usize, work: usize): void {
  packB(K, N, W, 1, K, work);
}

/** Packs W (stored K×N) as the right operand of dG·W, done once per sequence. */
export function packPlain(K: i32, N: i32, W: usize, work: usize): void {
  packB(K, N, W, N, 1, work);
}

/** Copies the running state into the step's hprev slot, which is also the step GEMM's input. */
@inline export function saveState(B: i32, H: i32, h: usize, hprev: usize, t: i32): usize {
  const hp = at(hprev, t * B * H);
  memory.copy(hp, h, <usize>(B * H) << 2);
  return hp;
}

/** Starts a running state from an initial one, or from zeros when init is null. */
export function initState(n: i32, state: usize, init: usize): void {
  if (init == 0) memory.fill(state, 0, <usize>n << 2);
  else memory.copy(state, init, <usize>n << 2);
}

/**
 * From the gate gradients dG (M×G, M = T·B) of the input side:
 * dW += dGᵀ·x, db += Σ rows of dG, dx += dG·W (skipped when dx is null).
 */
export function inputGrads(
  M: i32, G: i32, K: i32, dG: usize, x: usize, ldx: i32, W: usize, dW: usize, db: usize, dx: usize, lddx: i32, work: usize,
): void {
  gemmTN(G, K, M, dG, G, x, ldx, dW, K, work);
  if (db != 0) colSums(M, G, dG, G, db);
  if (dx != 0) gemmNN(M, K, G, dG, G, W, K, dx, lddx, work);
}

/** dW += dGᵀ·hprev, db += Σ rows of dG, for the hidden side (dG is M×G, hprev M×H). */
export function hiddenGrads(M: i32, G: i32, H: i32, dG: usize, hprev: usize, dW: usize, db: usize, work: usize): void {
  gemmTN(G, H, M, dG, G, hprev, H, dW, H, work);
  if (db != 0) colSums(M, G, dG, G, db);
}

// What every recurrent cell shares: the packed-sequence mask, the order of
// steps, the running state, and variational (recurrent) dropout: one mask per
// sequence, applied at every step to the state entering the recurrent product.

import { gemmPacked, packB } from "../kernels/gemm";
import { linearPairWork, linearWork } from "../kernels/linear";
import { addMul, at, mul } from "../kernels/elementwise";

/** Whether step t of sequence b is real (not padding); lengths is null or i32[B]. */
@inline export function isActive(lengths: usize, b: i32, t: i32): bool {
  return lengths == 0 || t < load<i32>(lengths + (<usize>b << 2));
}

/** Time index of processing step s: forward runs 0..T-1, reverse T-1..0. */
@inline export function timeAt(s: i32, T: i32, reverse: bool): i32 {
  return reverse ? T - 1 - s : s;
}

/** Packs W (stored N×K) as the right operand of h·Wᵀ, done once per sequence. */
export function packTransposed(N: i32, K: i32, W: usize, work: usize): void {
  packB(K, N, W, 1, K, work);
}

/** Packs W (stored K×N) as the right operand of dG·W, done once per sequence. */
export function packPlain(K: i32, N: i32, W: usize, work: usize): void {
  packB(K, N, W, N, 1, work);
}

/** Copies the running state into the step's hprev slot. */
@inline export function saveState(B: i32, H: i32, h: usize, hprev: usize, t: i32): usize {
  const hp = at(hprev, t * B * H);
  memory.copy(hp, h, <usize>(B * H) << 2);
  return hp;
}

/**
 * The step's input to the recurrent product: hprev itself, or with a mask
 * (B×H) hprev ⊙ mask, kept in the step's slot of hdrop for the weight gradient.
 */
@inline export function recurrentInput(B: i32, H: i32, hp: usize, hmask: usize, hdrop: usize, t: i32): usize {
  if (hmask == 0) return hp;
  const hd = at(hdrop, t * B * H);
  mul(B * H, hp, hmask, hd);
  return hd;
}

/** Where a backward step accumulates the recurrent gradient: dh itself, or zeroed scratch to be masked. */
@inline export function recurrentAccumulator(B: i32, H: i32, dh: usize, hmask: usize, acc: usize): usize {
  if (hmask == 0) return dh;
  memory.fill(acc, 0, <usize>(B * H) << 2);
  return acc;
}

/** acc += dG·W (packed); with a mask, then dh += acc ⊙ mask. */
export function recurrentGrad(B: i32, H: i32, K: i32, dg: usize, ldg: i32, wp: usize, dh: usize, hmask: usize, acc: usize): void {
  gemmPacked(B, H, K, dg, ldg, 1, wp, acc, H);
  if (hmask != 0) addMul(B * H, acc, hmask, dh);
}

/** Starts a running state from an initial one, or from zeros when init is null. */
export function initState(n: i32, state: usize, init: usize): void {
  if (init == 0) memory.fill(state, 0, <usize>n << 2);
  else memory.copy(state, init, <usize>n << 2);
}

/**
 * Records step t's total state gradient dL/dh_t (row b, H floats) into dhs
 * (T×B×H, original time order) when asked for (dhs ≠ 0); padding rows get 0.
 */
@inline export function recordStep(dhs: usize, t: i32, B: i32, b: i32, H: i32, dh: usize): void {
  if (dhs == 0) return;
  const row = dhs + (<usize>((t * B + b) * H) << 2);
  if (dh == 0) memory.fill(row, 0, <usize>H << 2);
  else memory.copy(row, dh, <usize>H << 2);
}

/**
 * Floats of workspace a cell's forward and backward need: the input projection
 * (T·B rows of I to G gate values), the recurrent weights packed for the step
 * loop (forwardPack, backwardPack) and their gradient (T·B rows of H).
 */
export function cellWork(T: i32, B: i32, I: i32, H: i32, G: i32, forwardPack: i32, backwardPack: i32): i32 {
  return max(max(linearWork(T * B, G, I), linearWork(T * B, G, H)), max(linearPairWork(T * B, G, I, H), max(forwardPack, backwardPack)));
}

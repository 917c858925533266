// Elman RNN over a whole sequence: h' = act(x·W_ihᵀ + b_ih + h̃·W_hhᵀ + b_hh),
// act = tanh or relu, h̃ = h or h ⊙ mask (recurrent dropout). The cache
// `gates` holds h' itself (T×B×H), which is all the derivative needs.

import { linearBackwardPair, linearForward } from "../kernels/linear";
import { gemmPacked, packedSize } from "../kernels/gemm";
import { at, axpy, fill } from "../kernels/elementwise";
import { tanhf, tanhv } from "../kernels/math";
import {
  cellWork, initState, isActive, packPlain, packTransposed, recordStep, recurrentAccumulator, recurrentGrad, recurrentInput, saveState, timeAt,
} from "./sequence";

/** Floats of workspace rnnForward and rnnBackward need. */
export function rnnWork(T: i32, B: i32, I: i32, H: i32): i32 {
  return cellWork(T, B, I, H, H, packedSize(H, H), packedSize(H, H));
}

/** Sizes, pointers and mask as lstmForward. work: rnnWork(T, B, I, H) floats. */
export function rnnForward(
  T: i32, B: i32, I: i32, H: i32, relu: bool, reverse: bool, x: usize, ldx: i32, wih: usize, whh: usize, bih: usize,
  bhh: usize, h0: usize, lengths: usize, hmask: usize, out: usize, ldo: i32, hN: usize,
  gates: usize, hprev: usize, hdrop: usize, work: usize,
): void {
  linearForward(T * B, H, I, x, ldx, wih, bih, bhh, gates, H, work);
  packTransposed(H, H, whh, work);
  initState(B * H, hN, h0);
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, reverse);
    const hp = saveState(B, H, hN, hprev, t);
    const g = at(gates, t * B * H);
    gemmPacked(B, H, H, recurrentInput(B, H, hp, hmask, hdrop, t), H, 1, work, g, H);
    for (let b = 0; b < B; b++) {
      const o = at(out, (t * B + b) * ldo);
      if (isActive(lengths, b, t)) rnnRowForward(H, relu, at(g, b * H), at(hN, b * H), o);
      else fill(H, o, 0);
    }
  }
}

/**
 * BPTT for rnnForward. dgates: T×B×H; dhs: T×B×H, each step's total dL/dh_t (or null). scratch: B×H floats.
 * work: rnnWork(T, B, I, H) floats.
 */
export function rnnBackward(
  T: i32, B: i32, I: i32, H: i32, relu: bool, reverse: bool, x: usize, ldx: i32, wih: usize, whh: usize, lengths: usize,
  hmask: usize, gout: usize, ldgo: i32, dhN: usize, gates: usize, hprev: usize, hdrop: usize, dgates: usize,
  dx: usize, lddx: i32, dh0: usize, dhs: usize, dwih: usize, dwhh: usize, dbih: usize, dbhh: usize, scratch: usize, work: usize,
): void {
  initState(B * H, dh0, dhN);
  packPlain(H, H, whh, work);
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, !reverse);
    const dg = at(dgates, t * B * H);
    for (let b = 0; b < B; b++) {
      const dgRow = at(dg, b * H);
      if (!isActive(lengths, b, t)) {
        fill(H, dgRow, 0);
        recordStep(dhs, t, B, b, H, 0);
        continue;
      }
      const dh = at(dh0, b * H);
      if (gout != 0) axpy(H, at(gout, (t * B + b) * ldgo), dh, 1);
      recordStep(dhs, t, B, b, H, dh);
      rnnRowBackward(H, relu, dh, at(gates, (t * B + b) * H), dgRow);
    }
    recurrentGrad(B, H, H, dg, H, work, dh0, hmask, recurrentAccumulator(B, H, dh0, hmask, scratch));
  }
  linearBackwardPair(T * B, H, I, H, dgates, H, x, ldx, hmask != 0 ? hdrop : hprev, H, wih, dwih, dbih, dwhh, dbhh, dx, lddx, work);
}

/** One row: g holds the pre-activation and receives h'. */
export function rnnRowForward(H: i32, relu: bool, g: usize, h: usize, o: usize): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    for (; j + 4 <= H; j += 4) {
      const a = v128.load(at(g, j));
      const y = relu ? f32x4.max(a, zero) : tanhv(a);
      v128.store(at(g, j), y);
      v128.store(at(h, j), y);
      v128.store(at(o, j), y);
    }
  }
  rnnRowForwardScalar(H, relu, g, h, o, j);
}

export function rnnRowForwardScalar(H: i32, relu: bool, g: usize, h: usize, o: usize, from: i32): void {
  for (let j = from; j < H; j++) {
    const a = load<f32>(at(g, j));
    const y = relu ? max<f32>(a, 0) : tanhf(a);
    store<f32>(at(g, j), y);
    store<f32>(at(h, j), y);
    store<f32>(at(o, j), y);
  }
}

/** dg = dh ⊙ act'(h'), from the cached h'; dh ← 0 for the recurrent GEMM. */
export function rnnRowBackward(H: i32, relu: bool, dh: usize, y: usize, dg: usize): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    const one = f32x4.splat(1);
    for (; j + 4 <= H; j += 4) {
      const yv = v128.load(at(y, j));
      const d = v128.load(at(dh, j));
      const r = relu ? v128.and(d, f32x4.gt(yv, zero)) : f32x4.mul(d, f32x4.sub(one, f32x4.mul(yv, yv)));
      v128.store(at(dg, j), r);
      v128.store(at(dh, j), zero);
    }
  }
  rnnRowBackwardScalar(H, relu, dh, y, dg, j);
}

export function rnnRowBackwardScalar(H: i32, relu: bool, dh: usize, y: usize, dg: usize, from: i32): void {
  for (let j = from; j < H; j++) {
    const yv = load<f32>(at(y, j));
    const d = load<f32>(at(dh, j));
    store<f32>(at(dg, j), relu ? (yv > 0 ? d : 0) : d * (f32(1) - yv * yv));
    store<f32>(at(dh, j), 0);
  }
}

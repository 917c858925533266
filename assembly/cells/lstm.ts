// LSTM over a whole sequence, PyTorch gate order (i, f, g, o):
//   i = σ(·), f = σ(·), g = tanh(·), o = σ(·) of x·W_ihᵀ + b_ih + h̃·W_hhᵀ + b_hh
//   c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c')
// where h̃ = h, or h ⊙ mask with recurrent dropout. Forward caches the
// activated gates, c_{t-1}, tanh(c_t), h_{t-1} (and h̃) per step; backward runs
// BPTT through them and leaves the weight gradients to GEMMs.

import { linearBackwardPair, linearForward } from "../kernels/linear";
import { gemmPacked, packedSize } from "../kernels/gemm";
import { at, axpy, fill } from "../kernels/elementwise";
import { madd } from "../kernels/vec";
import { sigmoidf, sigmoidv, tanhf, tanhv } from "../kernels/math";
import {
  cellWork, initState, isActive, packPlain, packTransposed, recordStep, recurrentAccumulator, recurrentGrad, recurrentInput, saveState, timeAt,
} from "./sequence";

/** Floats of workspace lstmForward and lstmBackward need. */
export function lstmWork(T: i32, B: i32, I: i32, H: i32): i32 {
  return cellWork(T, B, I, H, 4 * H, packedSize(H, 4 * H), packedSize(4 * H, H));
}

/**
 * x: T×B rows of I (stride ldx); weights and biases in PyTorch layout (biases
 * may be null); h0, c0: B×H or null; lengths: i32[B] or null; hmask: B×H
 * recurrent-dropout mask or null; out: T×B rows of H (stride ldo, zero at
 * padding); hN, cN: B×H, the running and final state. Caches: gates T×B×4H,
 * hprev, cprev, tanhc and (with hmask) hdrop T×B×H.
 * work: lstmWork(T, B, I, H) floats.
 */
export function lstmForward(
  T: i32, B: i32, I: i32, H: i32, reverse: bool, x: usize, ldx: i32, wih: usize, whh: usize, bih: usize,
  bhh: usize, h0: usize, c0: usize, lengths: usize, hmask: usize, out: usize, ldo: i32, hN: usize, cN: usize,
  gates: usize, hprev: usize, hdrop: usize, cprev: usize, tanhc: usize, work: usize,
): void {
  const G = 4 * H;
  linearForward(T * B, G, I, x, ldx, wih, bih, bhh, gates, G, work);
  packTransposed(G, H, whh, work);
  initState(B * H, hN, h0);
  initState(B * H, cN, c0);
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, reverse);
    const hp = saveState(B, H, hN, hprev, t);
    const g = at(gates, t * B * G);
    gemmPacked(B, G, H, recurrentInput(B, H, hp, hmask, hdrop, t), H, 1, work, g, G);
    for (let b = 0; b < B; b++) {
      const o = at(out, (t * B + b) * ldo);
      if (!isActive(lengths, b, t)) {
        fill(H, o, 0);
        continue;
      }
      const r = (t * B + b) * H;
      lstmRowForward(H, at(g, b * G), at(cN, b * H), at(hN, b * H), at(cprev, r), at(tanhc, r), o);
    }
  }
}

/**
 * BPTT for lstmForward (same sizes, caches, lengths and mask). gout: gradient
 * of out (stride ldgo) or null; dhN, dcN: gradients of the final state or
 * null. Writes dh0, dc0 (B×H), dgates (T×B×4H, pre-activation gate gradients),
 * dhs (T×B×H, each step's total dL/dh_t with c_t its own variable; skipped if null)
 * and adds the parameter gradients into dwih, dwhh, dbih, dbhh (bias pointers
 * may be null) and the input gradient into dx (stride lddx; skipped if null).
 * scratch: B×H floats. work: lstmWork(T, B, I, H) floats.
 */
export function lstmBackward(
  T: i32, B: i32, I: i32, H: i32, reverse: bool, x: usize, ldx: i32, wih: usize, whh: usize, lengths: usize, hmask: usize,
  gout: usize, ldgo: i32, dhN: usize, dcN: usize, gates: usize, hprev: usize, hdrop: usize, cprev: usize, tanhc: usize,
  dgates: usize, dx: usize, lddx: i32, dh0: usize, dc0: usize, dhs: usize, dwih: usize, dwhh: usize, dbih: usize,
  dbhh: usize, scratch: usize, work: usize,
): void {
  const G = 4 * H;
  initState(B * H, dh0, dhN);
  initState(B * H, dc0, dcN);
  packPlain(G, H, whh, work);
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, !reverse);
    const dg = at(dgates, t * B * G);
    for (let b = 0; b < B; b++) {
      const dgRow = at(dg, b * G);
      if (!isActive(lengths, b, t)) {
        fill(G, dgRow, 0);
        recordStep(dhs, t, B, b, H, 0);
        continue;
      }
      const dh = at(dh0, b * H);
      if (gout != 0) axpy(H, at(gout, (t * B + b) * ldgo), dh, 1);
      recordStep(dhs, t, B, b, H, dh);
      const r = (t * B + b) * H;
      lstmRowBackward(H, dh, at(dc0, b * H), at(gates, (t * B + b) * G), at(cprev, r), at(tanhc, r), dgRow);
    }
    // dh_{t-1} = dG_t·W_hh (⊙ mask) for real steps, whose dh was zeroed; padding rows keep theirs.
    recurrentGrad(B, H, G, dg, G, work, dh0, hmask, recurrentAccumulator(B, H, dh0, hmask, scratch));
  }
  linearBackwardPair(T * B, G, I, H, dgates, G, x, ldx, hmask != 0 ? hdrop : hprev, H, wih, dwih, dbih, dwhh, dbhh, dx, lddx, work);
}
/** One row: gates g (4H, pre-activation in, activated out), state c, h, caches cp, tc, output o. */
export function lstmRowForward(H: i32, g: usize, c: usize, h: usize, cp: usize, tc: usize, o: usize): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const hb = <usize>H << 2;
    for (; j + 4 <= H; j += 4) {
      const gi = at(g, j);
      const i = sigmoidv(v128.load(gi));
      const f = sigmoidv(v128.load(gi + hb));
      const gg = tanhv(v128.load(gi + 2 * hb));
      const og = sigmoidv(v128.load(gi + 3 * hb));
      v128.store(gi, i);
      v128.store(gi + hb, f);
      v128.store(gi + 2 * hb, gg);
      v128.store(gi + 3 * hb, og);
      const cOld = v128.load(at(c, j));
      v128.store(at(cp, j), cOld);
      const cNew = madd(f, cOld, f32x4.mul(i, gg));
      v128.store(at(c, j), cNew);
      const th = tanhv(cNew);
      v128.store(at(tc, j), th);
      const hv = f32x4.mul(og, th);
      v128.store(at(h, j), hv);
      v128.store(at(o, j), hv);
    }
  }
  lstmRowForwardScalar(H, g, c, h, cp, tc, o, j);
}

export function lstmRowForwardScalar(H: i32, g: usize, c: usize, h: usize, cp: usize, tc: usize, o: usize, from: i32): void {
  for (let j = from; j < H; j++) {
    const i = sigmoidf(load<f32>(at(g, j)));
    const f = sigmoidf(load<f32>(at(g, H + j)));
    const gg = tanhf(load<f32>(at(g, 2 * H + j)));
    const og = sigmoidf(load<f32>(at(g, 3 * H + j)));
    store<f32>(at(g, j), i);
    store<f32>(at(g, H + j), f);
    store<f32>(at(g, 2 * H + j), gg);
    store<f32>(at(g, 3 * H + j), og);
    const cOld = load<f32>(at(c, j));
    store<f32>(at(cp, j), cOld);
    const cNew = f * cOld + i * gg;
    store<f32>(at(c, j), cNew);
    const th = tanhf(cNew);
    store<f32>(at(tc, j), th);
    const hv = og * th;
    store<f32>(at(h, j), hv);
    store<f32>(at(o, j), hv);
  }
}

/**
 * One row of BPTT: from dh (incoming, H) and dc (running, H) and the step's
 * caches, writes the pre-activation gate gradients dg (4H), dc ← dc_{t-1}
 * through the cell path, and dh ← 0 for the recurrent GEMM to fill.
 */
export function lstmRowBackward(H: i32, dh: usize, dc: usize, g: usize, cp: usize, tc: usize, dg: usize): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const hb = <usize>H << 2;
    const one = f32x4.splat(1);
    const zero = f32x4.splat(0);
    for (; j + 4 <= H; j += 4) {
      const gi = at(g, j);
      const i = v128.load(gi);
      const f = v128.load(gi + hb);
      const gg = v128.load(gi + 2 * hb);
      const og = v128.load(gi + 3 * hb);
      const dhv = v128.load(at(dh, j));
      const th = v128.load(at(tc, j));
      const dcn = madd(f32x4.mul(dhv, og), f32x4.sub(one, f32x4.mul(th, th)), v128.load(at(dc, j)));
      const di = f32x4.mul(f32x4.mul(dcn, gg), f32x4.mul(i, f32x4.sub(one, i)));
      const df = f32x4.mul(f32x4.mul(dcn, v128.load(at(cp, j))), f32x4.mul(f, f32x4.sub(one, f)));
      const dgg = f32x4.mul(f32x4.mul(dcn, i), f32x4.sub(one, f32x4.mul(gg, gg)));
      const dov = f32x4.mul(f32x4.mul(dhv, th), f32x4.mul(og, f32x4.sub(one, og)));
      const d = at(dg, j);
      v128.store(d, di);
      v128.store(d + hb, df);
      v128.store(d + 2 * hb, dgg);
      v128.store(d + 3 * hb, dov);
      v128.store(at(dc, j), f32x4.mul(dcn, f));
      v128.store(at(dh, j), zero);
    }
  }
  lstmRowBackwardScalar(H, dh, dc, g, cp, tc, dg, j);
}

export function lstmRowBackwardScalar(H: i32, dh: usize, dc: usize, g: usize, cp: usize, tc: usize, dg: usize, from: i32): void {
  for (let j = from; j < H; j++) {
    const i = load<f32>(at(g, j));
    const f = load<f32>(at(g, H + j));
    const gg = load<f32>(at(g, 2 * H + j));
    const og = load<f32>(at(g, 3 * H + j));
    const dhv = load<f32>(at(dh, j));
    const th = load<f32>(at(tc, j));
    const dcn = load<f32>(at(dc, j)) + dhv * og * (f32(1) - th * th);
    store<f32>(at(dg, j), dcn * gg * i * (f32(1) - i));
    store<f32>(at(dg, H + j), dcn * load<f32>(at(cp, j)) * f * (f32(1) - f));
    store<f32>(at(dg, 2 * H + j), dcn * i * (f32(1) - gg * gg));
    store<f32>(at(dg, 3 * H + j), dhv * th * og * (f32(1) - og));
    store<f32>(at(dc, j), dcn * f);
    store<f32>(at(dh, j), 0);
  }
}

// GRU over a whole sequence, PyTorch gate order (r, z, n):
//   r = σ(W_ir x + b_ir + W_hr h̃ + b_hr),  z = σ(W_iz x + b_iz + W_hz h̃ + b_hz)
//   resetAfter (PyTorch, cuDNN):  n = tanh(W_in x + b_in + r ⊙ (W_hn h̃ + b_hn))
//   reset before (Cho 2014):      n = tanh(W_in x + b_in + W_hn (r ⊙ h̃) + b_hn)
//   h' = (1 − z) ⊙ n + z ⊙ h
// with h̃ = h, or h ⊙ mask under recurrent dropout (the direct path z ⊙ h is
// not masked). Caches: gates T×B×3H (r, z, n activated), hprev T×B×H, hdrop
// T×B×H (h̃, with a mask) and aux T×B×H, which holds W_hn h̃ + b_hn
// (resetAfter) or r ⊙ h̃ (reset before).

import { linearBackward, linearForward } from "../kernels/linear";
import { gemmPacked, gemmTN, packedSize } from "../kernels/gemm";
import { at, axpy, colSums, fill, fillRows } from "../kernels/elementwise";
import { sigmoidf, sigmoidv, tanhf, tanhv } from "../kernels/math";
import { madd } from "../kernels/vec";
import {
  cellWork, initState, isActive, packPlain, packTransposed, recordStep, recurrentAccumulator, recurrentGrad, recurrentInput, saveState, timeAt,
} from "./sequence";

/** Floats of workspace gruForward and gruBackward need: resetAfter packs W_hh whole, else its (r, z) rows and n rows apart. */
export function gruWork(T: i32, B: i32, I: i32, H: i32, resetAfter: bool): i32 {
  const G = 3 * H;
  if (resetAfter) return cellWork(T, B, I, H, G, packedSize(H, G), packedSize(G, H));
  return cellWork(T, B, I, H, G, packedSize(H, 2 * H) + packedSize(H, H), packedSize(2 * H, H) + packedSize(H, H));
}

/**
 * Sizes, pointers and mask as lstmForward (no cell state). scratch: B×3H floats.
 * work: gruWork(T, B, I, H, resetAfter) floats.
 */
export function gruForward(
  T: i32, B: i32, I: i32, H: i32, resetAfter: bool, reverse: bool, x: usize, ldx: i32, wih: usize, whh: usize, bih: usize,
  bhh: usize, h0: usize, lengths: usize, hmask: usize, out: usize, ldo: i32, hN: usize,
  gates: usize, hprev: usize, hdrop: usize, aux: usize, scratch: usize, work: usize,
): void {
  const G = 3 * H;
  linearForward(T * B, G, I, x, ldx, wih, bih, 0, gates, G, work);
  // W_hh packed whole, or as its (r, z) rows followed by its n rows.
  const workN = at(work, packedSize(H, 2 * H));
  if (resetAfter) packTransposed(G, H, whh, work);
  else {
    packTransposed(2 * H, H, whh, work);
    packTransposed(H, H, at(whh, 2 * H * H), workN);
  }
  initState(B * H, hN, h0);
  const hw = scratch;
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, reverse);
    const hin = recurrentInput(B, H, saveState(B, H, hN, hprev, t), hmask, hdrop, t);
    const g = at(gates, t * B * G);
    const a = at(aux, t * B * H);
    if (resetAfter) {
      fillRows(B, G, hw, G, bhh, 0);
      gemmPacked(B, G, H, hin, H, 1, work, hw, G);
    } else {
      fillRows(B, 2 * H, hw, G, bhh, 0);
      gemmPacked(B, 2 * H, H, hin, H, 1, work, hw, G);
      for (let b = 0; b < B; b++) {
        if (isActive(lengths, b, t)) gruRowGates(H, at(g, b * G), at(hw, b * G), at(hin, b * H), at(a, b * H));
        else fill(H, at(a, b * H), 0);
      }
      fillRows(B, H, at(hw, 2 * H), G, bhh == 0 ? 0 : at(bhh, 2 * H), 0);
      gemmPacked(B, H, H, a, H, 1, workN, at(hw, 2 * H), G);
    }
    for (let b = 0; b < B; b++) {
      const o = at(out, (t * B + b) * ldo);
      if (!isActive(lengths, b, t)) {
        fill(H, o, 0);
        continue;
      }
      const gr = at(g, b * G);
      const hr = at(hw, b * G);
      if (resetAfter) gruRowForward(H, gr, hr, at(hN, b * H), at(a, b * H), o);
      else gruRowCandidate(H, gr, hr, at(hN, b * H), o);
    }
  }
}

/**
 * BPTT for gruForward. dgx: T×B×3H gradients of the input-side
 * pre-activations; dgh: the hidden side's (differs from dgx only with
 * resetAfter, where its n part is scaled by r; ignored otherwise); dhs:
 * T×B×H, each step's total dL/dh_t (or null). scratch: 2·B×H floats. work: gruWork(T, B, I, H, resetAfter) floats.
 */
export function gruBackward(
  T: i32, B: i32, I: i32, H: i32, resetAfter: bool, reverse: bool, x: usize, ldx: i32, wih: usize, whh: usize,
  lengths: usize, hmask: usize, gout: usize, ldgo: i32, dhN: usize, gates: usize, hprev: usize, hdrop: usize, aux: usize,
  dgx: usize, dgh: usize, dx: usize, lddx: i32, dh0: usize, dhs: usize, dwih: usize, dwhh: usize, dbih: usize,
  dbhh: usize, scratch: usize, work: usize,
): void {
  const G = 3 * H;
  const M = T * B;
  initState(B * H, dh0, dhN);
  const workN = at(work, packedSize(2 * H, H));
  if (resetAfter) packPlain(G, H, whh, work);
  else {
    packPlain(2 * H, H, whh, work);
    packPlain(H, H, at(whh, 2 * H * H), workN);
  }
  const drh = scratch;
  const accBuf = at(scratch, B * H);
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, !reverse);
    const dg = at(dgx, t * B * G);
    const dgH = resetAfter ? at(dgh, t * B * G) : dg;
    for (let b = 0; b < B; b++) {
      if (!isActive(lengths, b, t)) {
        fill(G, at(dg, b * G), 0);
        if (resetAfter) fill(G, at(dgH, b * G), 0);
        recordStep(dhs, t, B, b, H, 0);
        continue;
      }
      const dh = at(dh0, b * H);
      if (gout != 0) axpy(H, at(gout, (t * B + b) * ldgo), dh, 1);
      recordStep(dhs, t, B, b, H, dh);
      const r = (t * B + b) * H;
      const g = at(gates, (t * B + b) * G);
      if (resetAfter) gruRowBackward(H, dh, g, at(hprev, r), at(aux, r), at(dg, b * G), at(dgH, b * G));
      else gruRowBackwardCandidate(H, dh, g, at(hprev, r), at(dg, b * G));
    }
    const acc = recurrentAccumulator(B, H, dh0, hmask, accBuf);
    if (resetAfter) {
      recurrentGrad(B, H, G, dgH, G, work, dh0, hmask, acc);
      continue;
    }
    // d(r ⊙ h̃) = dn_pre·W_hn, then the reset gate and the (r, z) recurrent path.
    memory.fill(drh, 0, <usize>(B * H) << 2);
    gemmPacked(B, H, H, at(dg, 2 * H), G, 1, workN, drh, H);
    const hx = hmask != 0 ? hdrop : hprev;
    for (let b = 0; b < B; b++) {
      if (!isActive(lengths, b, t)) continue;
      const r = (t * B + b) * H;
      gruRowBackwardReset(H, at(acc, b * H), at(gates, (t * B + b) * G), at(hx, r), at(drh, b * H), at(dg, b * G));
    }
    recurrentGrad(B, H, 2 * H, dg, G, work, dh0, hmask, acc);
  }
  const hin = hmask != 0 ? hdrop : hprev;
  linearBackward(M, G, I, dgx, G, x, ldx, wih, dwih, dbih, dx, lddx, work);
  if (resetAfter) linearBackward(M, G, H, dgh, G, hin, H, whh, dwhh, dbhh, 0, 0, work);
  else {
    gemmTN(2 * H, H, M, dgx, G, hin, H, dwhh, H, work);
    gemmTN(H, H, M, at(dgx, 2 * H), G, aux, H, at(dwhh, 2 * H * H), H, work);
    if (dbhh != 0) colSums(M, G, dgx, G, dbhh);
  }
}

/** resetAfter row: g (x-side pre-activations in, r z n out), hw = h·W_hhᵀ + b_hh, state h, aux ← W_hn h + b_hn. */
export function gruRowForward(H: i32, g: usize, hw: usize, h: usize, aux: usize, o: usize): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const hb = <usize>H << 2;
    for (; j + 4 <= H; j += 4) {
      const gj = at(g, j);
      const wj = at(hw, j);
      const r = sigmoidv(f32x4.add(v128.load(gj), v128.load(wj)));
      const z = sigmoidv(f32x4.add(v128.load(gj + hb), v128.load(wj + hb)));
      const hn = v128.load(wj + 2 * hb);
      const n = tanhv(madd(r, hn, v128.load(gj + 2 * hb)));
      v128.store(gj, r);
      v128.store(gj + hb, z);
      v128.store(gj + 2 * hb, n);
      v128.store(at(aux, j), hn);
      const hv = madd(z, f32x4.sub(v128.load(at(h, j)), n), n);
      v128.store(at(h, j), hv);
      v128.store(at(o, j), hv);
    }
  }
  gruRowForwardScalar(H, g, hw, h, aux, o, j);
}

export function gruRowForwardScalar(H: i32, g: usize, hw: usize, h: usize, aux: usize, o: usize, from: i32): void {
  for (let j = from; j < H; j++) {
    const r = sigmoidf(load<f32>(at(g, j)) + load<f32>(at(hw, j)));
    const z = sigmoidf(load<f32>(at(g, H + j)) + load<f32>(at(hw, H + j)));
    const hn = load<f32>(at(hw, 2 * H + j));
    const n = tanhf(load<f32>(at(g, 2 * H + j)) + r * hn);
    store<f32>(at(g, j), r);
    store<f32>(at(g, H + j), z);
    store<f32>(at(g, 2 * H + j), n);
    store<f32>(at(aux, j), hn);
    const hv = n + z * (load<f32>(at(h, j)) - n);
    store<f32>(at(h, j), hv);
    store<f32>(at(o, j), hv);
  }
}

/** Reset-before row, first half: r and z from g + hw, and aux ← r ⊙ h for the W_hn product. */
export function gruRowGates(H: i32, g: usize, hw: usize, h: usize, aux: usize): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const hb = <usize>H << 2;
    for (; j + 4 <= H; j += 4) {
      const gj = at(g, j);
      const wj = at(hw, j);
      const r = sigmoidv(f32x4.add(v128.load(gj), v128.load(wj)));
      v128.store(gj, r);
      v128.store(gj + hb, sigmoidv(f32x4.add(v128.load(gj + hb), v128.load(wj + hb))));
      v128.store(at(aux, j), f32x4.mul(r, v128.load(at(h, j))));
    }
  }
  gruRowGatesScalar(H, g, hw, h, aux, j);
}

export function gruRowGatesScalar(H: i32, g: usize, hw: usize, h: usize, aux: usize, from: i32): void {
  for (let j = from; j < H; j++) {
    const r = sigmoidf(load<f32>(at(g, j)) + load<f32>(at(hw, j)));
    store<f32>(at(g, j), r);
    store<f32>(at(g, H + j), sigmoidf(load<f32>(at(g, H + j)) + load<f32>(at(hw, H + j))));
    store<f32>(at(aux, j), r * load<f32>(at(h, j)));
  }
}

/** Reset-before row, second half: n = tanh(g_n + hw_n) and the state update. */
export function gruRowCandidate(H: i32, g: usize, hw: usize, h: usize, o: usize): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const hb = <usize>H << 2;
    for (; j + 4 <= H; j += 4) {
      const gj = at(g, j);
      const n = tanhv(f32x4.add(v128.load(gj + 2 * hb), v128.load(at(hw, j) + 2 * hb)));
      v128.store(gj + 2 * hb, n);
      const hv = madd(v128.load(gj + hb), f32x4.sub(v128.load(at(h, j)), n), n);
      v128.store(at(h, j), hv);
      v128.store(at(o, j), hv);
    }
  }
  gruRowCandidateScalar(H, g, hw, h, o, j);
}

export function gruRowCandidateScalar(H: i32, g: usize, hw: usize, h: usize, o: usize, from: i32): void {
  for (let j = from; j < H; j++) {
    const n = tanhf(load<f32>(at(g, 2 * H + j)) + load<f32>(at(hw, 2 * H + j)));
    store<f32>(at(g, 2 * H + j), n);
    const hv = n + load<f32>(at(g, H + j)) * (load<f32>(at(h, j)) - n);
    store<f32>(at(h, j), hv);
    store<f32>(at(o, j), hv);
  }
}

/** resetAfter BPTT row: dgx = (dr, dz, dn) pre-activation, dgh the same with dn scaled by r; dh ← dh ⊙ z. */
export function gruRowBackward(H: i32, dh: usize, g: usize, hp: usize, aux: usize, dgx: usize, dgh: usize): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const hb = <usize>H << 2;
    const one = f32x4.splat(1);
    for (; j + 4 <= H; j += 4) {
      const gj = at(g, j);
      const r = v128.load(gj);
      const z = v128.load(gj + hb);
      const n = v128.load(gj + 2 * hb);
      const dhv = v128.load(at(dh, j));
      const dan = f32x4.mul(f32x4.mul(dhv, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
      const dar = f32x4.mul(f32x4.mul(dan, v128.load(at(aux, j))), f32x4.mul(r, f32x4.sub(one, r)));
      const daz = f32x4.mul(f32x4.mul(dhv, f32x4.sub(v128.load(at(hp, j)), n)), f32x4.mul(z, f32x4.sub(one, z)));
      const xj = at(dgx, j);
      const hj = at(dgh, j);
      v128.store(xj, dar);
      v128.store(xj + hb, daz);
      v128.store(xj + 2 * hb, dan);
      v128.store(hj, dar);
      v128.store(hj + hb, daz);
      v128.store(hj + 2 * hb, f32x4.mul(dan, r));
      v128.store(at(dh, j), f32x4.mul(dhv, z));
    }
  }
  gruRowBackwardScalar(H, dh, g, hp, aux, dgx, dgh, j);
}

export function gruRowBackwardScalar(H: i32, dh: usize, g: usize, hp: usize, aux: usize, dgx: usize, dgh: usize, from: i32): void {
  for (let j = from; j < H; j++) {
    const r = load<f32>(at(g, j));
    const z = load<f32>(at(g, H + j));
    const n = load<f32>(at(g, 2 * H + j));
    const dhv = load<f32>(at(dh, j));
    const dan = dhv * (f32(1) - z) * (f32(1) - n * n);
    const dar = dan * load<f32>(at(aux, j)) * r * (f32(1) - r);
    const daz = dhv * (load<f32>(at(hp, j)) - n) * z * (f32(1) - z);
    store<f32>(at(dgx, j), dar);
    store<f32>(at(dgx, H + j), daz);
    store<f32>(at(dgx, 2 * H + j), dan);
    store<f32>(at(dgh, j), dar);
    store<f32>(at(dgh, H + j), daz);
    store<f32>(at(dgh, 2 * H + j), dan * r);
    store<f32>(at(dh, j), dhv * z);
  }
}

/** Reset-before BPTT row, first half: dz and dn pre-activation into dg; dh ← dh ⊙ z. */
export function gruRowBackwardCandidate(H: i32, dh: usize, g: usize, hp: usize, dg: usize): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const hb = <usize>H << 2;
    const one = f32x4.splat(1);
    for (; j + 4 <= H; j += 4) {
      const gj = at(g, j);
      const z = v128.load(gj + hb);
      const n = v128.load(gj + 2 * hb);
      const dhv = v128.load(at(dh, j));
      const dj = at(dg, j);
      v128.store(dj + hb, f32x4.mul(f32x4.mul(dhv, f32x4.sub(v128.load(at(hp, j)), n)), f32x4.mul(z, f32x4.sub(one, z))));
      v128.store(dj + 2 * hb, f32x4.mul(f32x4.mul(dhv, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n))));
      v128.store(at(dh, j), f32x4.mul(dhv, z));
    }
  }
  gruRowBackwardCandidateScalar(H, dh, g, hp, dg, j);
}

export function gruRowBackwardCandidateScalar(H: i32, dh: usize, g: usize, hp: usize, dg: usize, from: i32): void {
  for (let j = from; j < H; j++) {
    const z = load<f32>(at(g, H + j));
    const n = load<f32>(at(g, 2 * H + j));
    const dhv = load<f32>(at(dh, j));
    store<f32>(at(dg, H + j), dhv * (load<f32>(at(hp, j)) - n) * z * (f32(1) - z));
    store<f32>(at(dg, 2 * H + j), dhv * (f32(1) - z) * (f32(1) - n * n));
    store<f32>(at(dh, j), dhv * z);
  }
}

/** Reset-before BPTT row, second half: from drh = d(r ⊙ h), dr pre-activation into dg and dh += drh ⊙ r. */
export function gruRowBackwardReset(H: i32, dh: usize, g: usize, hp: usize, drh: usize, dg: usize): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const one = f32x4.splat(1);
    for (; j + 4 <= H; j += 4) {
      const r = v128.load(at(g, j));
      const d = v128.load(at(drh, j));
      v128.store(at(dg, j), f32x4.mul(f32x4.mul(d, v128.load(at(hp, j))), f32x4.mul(r, f32x4.sub(one, r))));
      v128.store(at(dh, j), madd(d, r, v128.load(at(dh, j))));
    }
  }
  gruRowBackwardResetScalar(H, dh, g, hp, drh, dg, j);
}

export function gruRowBackwardResetScalar(H: i32, dh: usize, g: usize, hp: usize, drh: usize, dg: usize, from: i32): void {
  for (let j = from; j < H; j++) {
    const r = load<f32>(at(g, j));
    const d = load<f32>(at(drh, j));
    store<f32>(at(dg, j), d * load<f32>(at(hp, j)) * r * (f32(1) - r));
    store<f32>(at(dh, j), load<f32>(at(dh, j)) + d * r);
  }
}

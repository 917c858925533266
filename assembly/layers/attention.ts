// Attention of decoder states over encoder outputs, for sequence-to-sequence
// models (Luong et al. 2015; Bahdanau et al. 2015). For each sequence b,
// decoder step i and source step j < length(b):
//   mode 0, dot:       e_ij = q_i · k_j                     (Hq = Hk)
//   mode 1, general:   e_ij = q_i · (W k_j),      W: Hq×Hk
//   mode 2, additive:  e_ij = v · tanh(Wq q_i + Wk k_j),   Wq: A×Hq, Wk: A×Hk, v: A
//   α_i = softmax_j(e_ij) over the real source steps (0 past the length)
//   c_i = Σ_j α_ij k_j
// q is Td×B rows (time-major, stride ldq), k is Ts×B rows (stride ldk); α is
// B×Td×Ts (exposed for visualisation), the context Td×B rows (stride ldc).

import { gemmPacked, packB, packedSize, tnWork } from "../kernels/gemm";
import { linearBackward, linearForward } from "../kernels/linear";
import { at, fill } from "../kernels/elementwise";
import { softmaxRows } from "../kernels/softmax";
import { tanhf } from "../kernels/math";

@inline function lengthOf(lengths: usize, b: i32, Ts: i32): i32 {
  return lengths == 0 ? Ts : load<i32>(lengths + (<usize>b << 2));
}

/** C (for sequence b) += A_b·B_b: A element (i, k) at A + 4·(i·rsa + k·csa); B element (k, n) at B + 4·(k·rsb + n). */
function batchGemm(M: i32, N: i32, K: i32, A: usize, rsa: i32, csa: i32, B: usize, rsb: i32, C: usize, ldc: i32, work: usize): void {
  packB(K, N, B, rsb, 1, work);
  gemmPacked(M, N, K, A, rsa, csa, work, C, ldc);
}

/** As batchGemm with B element (k, n) at B + 4·(n·csb + k): B stored transposed. */
function batchGemmBt(M: i32, N: i32, K: i32, A: usize, rsa: i32, csa: i32, B: usize, csb: i32, C: usize, ldc: i32, work: usize): void {
  packB(K, N, B, 1, csb, work);
  gemmPacked(M, N, K, A, rsa, csa, work, C, ldc);
}

/** Floats of workspace attentionForward and attentionBackward need: a packed operand of any batch product or projection, or a weight gradient's. */
export function attentionWork(Td: i32, Ts: i32, B: i32, Hq: i32, Hk: i32, A: i32): i32 {
  const dims = max(max(max(Hq, Hk), max(Ts, Td)), A);
  return max(packedSize(dims, dims), tnWork(max(Td, Ts) * B, max(Hq, Hk)));
}

/**
 * Caches: keys Ts×B×Hq (general: W k_j), pq Td×B×A and pk Ts×B×A (additive
 * projections), th B×Td×Ts×A (additive tanh values). Unused ones may be null.
 * work: attentionWork(Td, Ts, B, Hq, Hk, A) floats.
 */
export function attentionForward(
  Td: i32, Ts: i32, B: i32, Hq: i32, Hk: i32, A: i32, mode: i32, q: usize, ldq: i32, k: usize, ldk: i32, lengths: usize,
  W: usize, Wq: usize, Wk: usize, v: usize, alpha: usize, context: usize, ldc: i32,
  keys: usize, pq: usize, pk: usize, th: usize, work: usize,
): void {
  if (mode == 1) linearForward(Ts * B, Hq, Hk, k, ldk, W, 0, 0, keys, Hq, work);
  if (mode == 2) {
    linearForward(Td * B, A, Hq, q, ldq, Wq, 0, 0, pq, A, work);
    linearForward(Ts * B, A, Hk, k, ldk, Wk, 0, 0, pk, A, work);
  }
  for (let b = 0; b < B; b++) {
    const L = lengthOf(lengths, b, Ts);
    const e = at(alpha, b * Td * Ts);
    fill(Td * Ts, e, 0);
    if (mode == 2) additiveScores(Td, Ts, B, A, b, L, pq, pk, v, e, at(th, b * Td * Ts * A));
    else {
      const kb = mode == 1 ? at(keys, b * Hq) : at(k, b * ldk);
      const ldkb = mode == 1 ? B * Hq : B * ldk;
      batchGemmBt(Td, L, Hq, at(q, b * ldq), B * ldq, 1, kb, ldkb, e, Ts, work);
    }
    softmaxRows(Td, L, e, Ts, e, Ts);
  }
  for (let i = 0; i < Td; i++) for (let b = 0; b < B; b++) fill(Hk, at(context, (i * B + b) * ldc), 0);
  for (let b = 0; b < B; b++) {
    const L = lengthOf(lengths, b, Ts);
    batchGemm(Td, Hk, L, at(alpha, b * Td * Ts), Ts, 1, at(k, b * ldk), B * ldk, at(context, b * ldc), B * ldc, work);
  }
}

function additiveScores(Td: i32, Ts: i32, B: i32, A: i32, b: i32, L: i32, pq: usize, pk: usize, v: usize, e: usize, th: usize): void {
  for (let i = 0; i < Td; i++) {
    const qi = at(pq, (i * B + b) * A);
    for (let j = 0; j < L; j++) {
      const kj = at(pk, (j * B + b) * A);
      const tij = at(th, (i * Ts + j) * A);
      let s: f32 = 0;
      for (let a = 0; a < A; a++) {
        const t = tanhf(load<f32>(at(qi, a)) + load<f32>(at(kj, a)));
        store<f32>(at(tij, a), t);
        s += load<f32>(at(v, a)) * t;
      }
      store<f32>(at(e, i * Ts + j), s);
    }
  }
}

/**
 * Gradients of attentionForward from dctx (Td×B rows, stride lddc): adds into
 * dq (stride lddq), dk (stride lddk) and the weight gradients dW, dWq, dWk, dv
 * (null when the mode has no such weight). dkeys (Ts×B×Hq), dpq (Td×B×A), dpk
 * (Ts×B×A) are scratch for the modes that project; dalpha: Td×Ts scratch.
 * work: attentionWork(Td, Ts, B, Hq, Hk, A) floats.
 */
export function attentionBackward(
  Td: i32, Ts: i32, B: i32, Hq: i32, Hk: i32, A: i32, mode: i32, q: usize, ldq: i32, k: usize, ldk: i32, lengths: usize,
  W: usize, Wq: usize, Wk: usize, v: usize, alpha: usize, dctx: usize, lddc: i32, keys: usize, th: usize,
  dq: usize, lddq: i32, dk: usize, lddk: i32, dW: usize, dWq: usize, dWk: usize, dv: usize,
  dkeys: usize, dpq: usize, dpk: usize, dalpha: usize, work: usize,
): void {
  if (mode == 1) for (let j = 0; j < Ts * B; j++) fill(Hq, at(dkeys, j * Hq), 0);
  if (mode == 2) {
    fill(Td * B * A, dpq, 0);
    fill(Ts * B * A, dpk, 0);
  }
  for (let b = 0; b < B; b++) {
    const L = lengthOf(lengths, b, Ts);
    const ab = at(alpha, b * Td * Ts);
    const dcb = at(dctx, b * lddc);
    // dα = dC·Kᵀ and, through the context, dK += αᵀ·dC.
    fill(Td * Ts, dalpha, 0);
    batchGemmBt(Td, L, Hk, dcb, B * lddc, 1, at(k, b * ldk), B * ldk, dalpha, Ts, work);
    batchGemm(L, Hk, Td, ab, 1, Ts, dcb, B * lddc, at(dk, b * lddk), B * lddk, work);
    // Softmax: de_ij = α_ij (dα_ij − Σ_j' α_ij' dα_ij').
    for (let i = 0; i < Td; i++) {
      const ai = at(ab, i * Ts);
      const di = at(dalpha, i * Ts);
      let dot: f32 = 0;
      for (let j = 0; j < L; j++) dot += load<f32>(at(ai, j)) * load<f32>(at(di, j));
      for (let j = 0; j < L; j++) store<f32>(at(di, j), load<f32>(at(ai, j)) * (load<f32>(at(di, j)) - dot));
    }
    if (mode == 2) {
      additiveBackward(Td, Ts, B, A, b, L, v, dalpha, at(th, b * Td * Ts * A), dpq, dpk, dv);
      continue;
    }
    // Scores q·key: dq += de·key, dkey += deᵀ·q.
    const kb = mode == 1 ? at(keys, b * Hq) : at(k, b * ldk);
    const ldkb = mode == 1 ? B * Hq : B * ldk;
    const dkb = mode == 1 ? at(dkeys, b * Hq) : at(dk, b * lddk);
    const lddkb = mode == 1 ? B * Hq : B * lddk;
    batchGemm(Td, Hq, L, dalpha, Ts, 1, kb, ldkb, at(dq, b * lddq), B * lddq, work);
    batchGemm(L, Hq, Td, dalpha, 1, Ts, at(q, b * ldq), B * ldq, dkb, lddkb, work);
  }
  if (mode == 1) linearBackward(Ts * B, Hq, Hk, dkeys, Hq, k, ldk, W, dW, 0, dk, lddk, work);
  if (mode == 2) {
    linearBackward(Td * B, A, Hq, dpq, A, q, ldq, Wq, dWq, 0, dq, lddq, work);
    linearBackward(Ts * B, A, Hk, dpk, A, k, ldk, Wk, dWk, 0, dk, lddk, work);
  }
}

function additiveBackward(
  Td: i32, Ts: i32, B: i32, A: i32, b: i32, L: i32, v: usize, de: usize, th: usize, dpq: usize, dpk: usize, dv: usize,
): void {
  for (let i = 0; i < Td; i++) {
    const dqi = at(dpq, (i * B + b) * A);
    for (let j = 0; j < L; j++) {
      const d = load<f32>(at(de, i * Ts + j));
      const dkj = at(dpk, (j * B + b) * A);
      const tij = at(th, (i * Ts + j) * A);
      for (let a = 0; a < A; a++) {
        const t = load<f32>(at(tij, a));
        const g = d * load<f32>(at(v, a)) * (f32(1) - t * t);
        store<f32>(at(dqi, a), load<f32>(at(dqi, a)) + g);
        store<f32>(at(dkj, a), load<f32>(at(dkj, a)) + g);
        store<f32>(at(dv, a), load<f32>(at(dv, a)) + d * t);
      }
    }
  }
}

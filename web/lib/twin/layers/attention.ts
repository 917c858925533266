// JS twin of assembly/layers/attention.ts.

import type { Heap } from "../../memory/heap.ts";
import { gemmPacked, packB } from "../gemm.ts";
import { linearBackward, linearForward } from "../linear.ts";
import { softmaxRows } from "../softmax.ts";

const lengthOf = (h: Heap, lengths: number, b: number, Ts: number) => (lengths === 0 ? Ts : h.i32[(lengths >> 2) + b]);

function batchGemm(
  h: Heap, M: number, N: number, K: number, A: number, rsa: number, csa: number, B: number, rsb: number, C: number, ldc: number,
  work: number,
): void {
  packB(h, K, N, B, rsb, 1, work);
  gemmPacked(h, M, N, K, A, rsa, csa, work, C, ldc);
}

function batchGemmBt(
  h: Heap, M: number, N: number, K: number, A: number, rsa: number, csa: number, B: number, csb: number, C: number, ldc: number,
  work: number,
): void {
  packB(h, K, N, B, 1, csb, work);
  gemmPacked(h, M, N, K, A, rsa, csa, work, C, ldc);
}

export function attentionForward(
  h: Heap, Td: number, Ts: number, B: number, Hq: number, Hk: number, A: number, mode: number, q: number, ldq: number,
  k: number, ldk: number, lengths: number, W: number, Wq: number, Wk: number, v: number, alpha: number, context: number,
  ldc: number, keys: number, pq: number, pk: number, th: number, work: number,
): void {
  const F = h.f;
  if (mode === 1) linearForward(h, Ts * B, Hq, Hk, k, ldk, W, 0, 0, keys, Hq, work);
  if (mode === 2) {
    linearForward(h, Td * B, A, Hq, q, ldq, Wq, 0, 0, pq, A, work);
    linearForward(h, Ts * B, A, Hk, k, ldk, Wk, 0, 0, pk, A, work);
  }
  for (let b = 0; b < B; b++) {
    const L = lengthOf(h, lengths, b, Ts);
    const e = alpha + 4 * b * Td * Ts;
    F.fill(0, e >> 2, (e >> 2) + Td * Ts);
    if (mode === 2) {
      const tb = (th >> 2) + b * Td * Ts * A;
      for (let i = 0; i < Td; i++) {
        for (let j = 0; j < L; j++) {
          let s = 0;
          for (let a = 0; a < A; a++) {
            const t = Math.tanh(F[(pq >> 2) + (i * B + b) * A + a] + F[(pk >> 2) + (j * B + b) * A + a]);
            F[tb + (i * Ts + j) * A + a] = t;
            s += F[(v >> 2) + a] * t;
          }
          F[(e >> 2) + i * Ts + j] = s;
        }
      }
    } else {
      const kb = mode === 1 ? keys + 4 * b * Hq : k + 4 * b * ldk;
      const ldkb = mode === 1 ? B * Hq : B * ldk;
      batchGemmBt(h, Td, L, Hq, q + 4 * b * ldq, B * ldq, 1, kb, ldkb, e, Ts, work);
    }
    softmaxRows(h, Td, L, e, Ts, e, Ts);
  }
  for (let i = 0; i < Td; i++) for (let b = 0; b < B; b++) F.fill(0, (context >> 2) + (i * B + b) * ldc, (context >> 2) + (i * B + b) * ldc + Hk);
  for (let b = 0; b < B; b++) {
    const L = lengthOf(h, lengths, b, Ts);
    batchGemm(h, Td, Hk, L, alpha + 4 * b * Td * Ts, Ts, 1, k + 4 * b * ldk, B * ldk, context + 4 * b * ldc, B * ldc, work);
  }
}

export function attentionBackward(
  h: Heap, Td: number, Ts: number, B: number, Hq: number, Hk: number, A: number, mode: number, q: number, ldq: number,
  k: number, ldk: number, lengths: number, W: number, Wq: number, Wk: number, v: number, alpha: number, dctx: number,
  lddc: number, keys: number, th: number, dq: number, lddq: number, dk: number, lddk: number,
  dW: number, dWq: number, dWk: number, dv: number, dkeys: number, dpq: number, dpk: number, dalpha: number, work: number,
): void {
  const F = h.f;
  if (mode === 1) F.fill(0, dkeys >> 2, (dkeys >> 2) + Ts * B * Hq);
  if (mode === 2) {
    F.fill(0, dpq >> 2, (dpq >> 2) + Td * B * A);
    F.fill(0, dpk >> 2, (dpk >> 2) + Ts * B * A);
  }
  const da = dalpha >> 2;
  for (let b = 0; b < B; b++) {
    const L = lengthOf(h, lengths, b, Ts);
    const ab = alpha + 4 * b * Td * Ts;
    const dcb = dctx + 4 * b * lddc;
    F.fill(0, da, da + Td * Ts);
    batchGemmBt(h, Td, L, Hk, dcb, B * lddc, 1, k + 4 * b * ldk, B * ldk, dalpha, Ts, work);
    batchGemm(h, L, Hk, Td, ab, 1, Ts, dcb, B * lddc, dk + 4 * b * lddk, B * lddk, work);
    for (let i = 0; i < Td; i++) {
      const ai = (ab >> 2) + i * Ts;
      let dot = 0;
      for (let j = 0; j < L; j++) dot += F[ai + j] * F[da + i * Ts + j];
      for (let j = 0; j < L; j++) F[da + i * Ts + j] = F[ai + j] * (F[da + i * Ts + j] - dot);
    }
    if (mode === 2) {
      const tb = (th >> 2) + b * Td * Ts * A;
      for (let i = 0; i < Td; i++) {
        for (let j = 0; j < L; j++) {
          const d = F[da + i * Ts + j];
          for (let a = 0; a < A; a++) {
            const t = F[tb + (i * Ts + j) * A + a];
            const g = d * F[(v >> 2) + a] * (1 - t * t);
            F[(dpq >> 2) + (i * B + b) * A + a] += g;
            F[(dpk >> 2) + (j * B + b) * A + a] += g;
            F[(dv >> 2) + a] += d * t;
          }
        }
      }
      continue;
    }
    const kb = mode === 1 ? keys + 4 * b * Hq : k + 4 * b * ldk;
    const ldkb = mode === 1 ? B * Hq : B * ldk;
    const dkb = mode === 1 ? dkeys + 4 * b * Hq : dk + 4 * b * lddk;
    const lddkb = mode === 1 ? B * Hq : B * lddk;
    batchGemm(h, Td, Hq, L, dalpha, Ts, 1, kb, ldkb, dq + 4 * b * lddq, B * lddq, work);
    batchGemm(h, L, Hq, Td, dalpha, 1, Ts, q + 4 * b * ldq, B * ldq, dkb, lddkb, work);
  }
  if (mode === 1) linearBackward(h, Ts * B, Hq, Hk, dkeys, Hq, k, ldk, W, dW, 0, dk, lddk, work);
  if (mode === 2) {
    linearBackward(h, Td * B, A, Hq, dpq, A, q, ldq, Wq, dWq, 0, dq, lddq, work);
    linearBackward(h, Ts * B, A, Hk, dpk, A, k, ldk, Wk, dWk, 0, dk, lddk, work);
  }
}

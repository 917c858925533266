// JS twin of assembly/cells/gru.ts.

import type { Heap } from "../../memory/heap.ts";
import { gemmPacked, gemmTN, packedSize } from "../gemm.ts";
import { axpy, colSums, fill, fillRows } from "../elementwise.ts";
import { sigmoid, tanh } from "../math.ts";
import { linearBackward, linearForward } from "../linear.ts";
import {
  initState, isActive, recordStep, packPlain, packTransposed, recurrentAccumulator, recurrentGrad, recurrentInput, saveState, timeAt,
} from "./sequence.ts";

export function gruForward(
  h: Heap, T: number, B: number, I: number, H: number, resetAfter: boolean, reverse: boolean, x: number, ldx: number,
  wih: number, whh: number, bih: number, bhh: number, h0: number, lengths: number, hmask: number, out: number,
  ldo: number, hN: number, gates: number, hprev: number, hdrop: number, aux: number, scratch: number, work: number,
): void {
  const G = 3 * H;
  linearForward(h, T * B, G, I, x, ldx, wih, bih, 0, gates, G, work);
  const workN = work + 4 * packedSize(H, 2 * H);
  if (resetAfter) packTransposed(h, G, H, whh, work);
  else {
    packTransposed(h, 2 * H, H, whh, work);
    packTransposed(h, H, H, whh + 4 * 2 * H * H, workN);
  }
  initState(h, B * H, hN, h0);
  const F = h.f;
  const hw = scratch >> 2;
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, reverse);
    const hin = recurrentInput(h, B, H, saveState(h, B, H, hN, hprev, t), hmask, hdrop, t);
    const a = (aux >> 2) + t * B * H;
    if (resetAfter) {
      fillRows(h, B, G, scratch, G, bhh, 0);
      gemmPacked(h, B, G, H, hin, H, 1, work, scratch, G);
    } else {
      fillRows(h, B, 2 * H, scratch, G, bhh, 0);
      gemmPacked(h, B, 2 * H, H, hin, H, 1, work, scratch, G);
      for (let b = 0; b < B; b++) {
        const ab = a + b * H;
        if (!isActive(h, lengths, b, t)) {
          F.fill(0, ab, ab + H);
          continue;
        }
        const g = (gates >> 2) + (t * B + b) * G;
        const w = hw + b * G;
        const hx = (hin >> 2) + b * H;
        for (let j = 0; j < H; j++) {
          const r = (F[g + j] = sigmoid(F[g + j] + F[w + j]));
          F[g + H + j] = sigmoid(F[g + H + j] + F[w + H + j]);
          F[ab + j] = r * F[hx + j];
        }
      }
      fillRows(h, B, H, scratch + 4 * 2 * H, G, bhh === 0 ? 0 : bhh + 4 * 2 * H, 0);
      gemmPacked(h, B, H, H, a << 2, H, 1, workN, scratch + 4 * 2 * H, G);
    }
    for (let b = 0; b < B; b++) {
      const o = (out >> 2) + (t * B + b) * ldo;
      if (!isActive(h, lengths, b, t)) {
        F.fill(0, o, o + H);
        continue;
      }
      const g = (gates >> 2) + (t * B + b) * G;
      const w = hw + b * G;
      const hs = (hN >> 2) + b * H;
      const ab = a + b * H;
      for (let j = 0; j < H; j++) {
        let n: number;
        if (resetAfter) {
          const r = (F[g + j] = sigmoid(F[g + j] + F[w + j]));
          F[g + H + j] = sigmoid(F[g + H + j] + F[w + H + j]);
          const hn = (F[ab + j] = F[w + 2 * H + j]);
          n = tanh(F[g + 2 * H + j] + r * hn);
        } else {
          n = tanh(F[g + 2 * H + j] + F[w + 2 * H + j]);
        }
        F[g + 2 * H + j] = n;
        F[hs + j] = F[o + j] = n + F[g + H + j] * (F[hs + j] - n);
      }
    }
  }
}

export function gruBackward(
  h: Heap, T: number, B: number, I: number, H: number, resetAfter: boolean, reverse: boolean, x: number, ldx: number,
  wih: number, whh: number, lengths: number, hmask: number, gout: number, ldgo: number, dhN: number, gates: number,
  hprev: number, hdrop: number, aux: number, dgx: number, dgh: number, dx: number, lddx: number, dh0: number, dhs: number,
  dwih: number, dwhh: number, dbih: number, dbhh: number, scratch: number, work: number,
): void {
  const G = 3 * H;
  const M = T * B;
  initState(h, B * H, dh0, dhN);
  const workN = work + 4 * packedSize(2 * H, H);
  if (resetAfter) packPlain(h, G, H, whh, work);
  else {
    packPlain(h, 2 * H, H, whh, work);
    packPlain(h, H, H, whh + 4 * 2 * H * H, workN);
  }
  const F = h.f;
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, !reverse);
    const dgT = dgx + 4 * t * B * G;
    const dghT = resetAfter ? dgh + 4 * t * B * G : dgT;
    for (let b = 0; b < B; b++) {
      if (!isActive(h, lengths, b, t)) {
        fill(h, G, dgT + 4 * b * G, 0);
        if (resetAfter) fill(h, G, dghT + 4 * b * G, 0);
        recordStep(h, dhs, t, B, b, H, 0);
        continue;
      }
      if (gout !== 0) axpy(h, H, gout + 4 * (t * B + b) * ldgo, dh0 + 4 * b * H, 1);
      recordStep(h, dhs, t, B, b, H, dh0 + 4 * b * H);
      const dh = (dh0 >> 2) + b * H;
      const g = (gates >> 2) + (t * B + b) * G;
      const hp = (hprev >> 2) + (t * B + b) * H;
      const dx_ = (dgT >> 2) + b * G;
      const dh_ = (dghT >> 2) + b * G;
      const ab = (aux >> 2) + (t * B + b) * H;
      for (let j = 0; j < H; j++) {
        const r = F[g + j], z = F[g + H + j], n = F[g + 2 * H + j];
        const dhv = F[dh + j];
        const dan = dhv * (1 - z) * (1 - n * n);
        const daz = dhv * (F[hp + j] - n) * z * (1 - z);
        F[dx_ + H + j] = daz;
        F[dx_ + 2 * H + j] = dan;
        if (resetAfter) {
          const dar = dan * F[ab + j] * r * (1 - r);
          F[dx_ + j] = dar;
          F[dh_ + j] = dar;
          F[dh_ + H + j] = daz;
          F[dh_ + 2 * H + j] = dan * r;
        }
        F[dh + j] = dhv * z;
      }
    }
    const acc = recurrentAccumulator(h, B, H, dh0, hmask, scratch + 4 * B * H);
    if (resetAfter) {
      recurrentGrad(h, B, H, G, dghT, G, work, dh0, hmask, acc);
      continue;
    }
    fill(h, B * H, scratch, 0);
    gemmPacked(h, B, H, H, dgT + 4 * 2 * H, G, 1, workN, scratch, H);
    const hxs = hmask !== 0 ? hdrop : hprev;
    for (let b = 0; b < B; b++) {
      if (!isActive(h, lengths, b, t)) continue;
      const dh = (acc >> 2) + b * H;
      const g = (gates >> 2) + (t * B + b) * G;
      const hx = (hxs >> 2) + (t * B + b) * H;
      const d = (scratch >> 2) + b * H;
      const dg = (dgT >> 2) + b * G;
      for (let j = 0; j < H; j++) {
        const r = F[g + j];
        F[dg + j] = F[d + j] * F[hx + j] * r * (1 - r);
        F[dh + j] += F[d + j] * r;
      }
    }
    recurrentGrad(h, B, H, 2 * H, dgT, G, work, dh0, hmask, acc);
  }
  const hin = hmask !== 0 ? hdrop : hprev;
  linearBackward(h, M, G, I, dgx, G, x, ldx, wih, dwih, dbih, dx, lddx, work);
  if (resetAfter) linearBackward(h, M, G, H, dgh, G, hin, H, whh, dwhh, dbhh, 0, 0, work);
  else {
    gemmTN(h, 2 * H, H, M, dgx, G, hin, H, dwhh, H, work);
    gemmTN(h, H, H, M, dgx + 4 * 2 * H, G, aux, H, dwhh + 4 * 2 * H * H, H, work);
    if (dbhh !== 0) colSums(h, M, G, dgx, G, dbhh);
  }
}

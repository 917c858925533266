// JS twin of assembly/cells/lstm.ts.

import type { Heap } from "../../memory/heap.ts";
import { gemmPacked } from "../gemm.ts";
import { axpy, fill } from "../elementwise.ts";
import { sigmoid, tanh } from "../math.ts";
import { linearBackward, linearForward } from "../linear.ts";
import {
  initState, isActive, recordStep, packPlain, packTransposed, recurrentAccumulator, recurrentGrad, recurrentInput, saveState, timeAt,
} from "./sequence.ts";

export function lstmForward(
  h: Heap, T: number, B: number, I: number, H: number, reverse: boolean, x: number, ldx: number, wih: number, whh: number,
  bih: number, bhh: number, h0: number, c0: number, lengths: number, hmask: number, out: number, ldo: number, hN: number,
  cN: number, gates: number, hprev: number, hdrop: number, cprev: number, tanhc: number, work: number,
): void {
  const G = 4 * H;
  linearForward(h, T * B, G, I, x, ldx, wih, bih, bhh, gates, G, work);
  packTransposed(h, G, H, whh, work);
  initState(h, B * H, hN, h0);
  initState(h, B * H, cN, c0);
  const F = h.f;
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, reverse);
    const hp = saveState(h, B, H, hN, hprev, t);
    gemmPacked(h, B, G, H, recurrentInput(h, B, H, hp, hmask, hdrop, t), H, 1, work, gates + 4 * t * B * G, G);
    for (let b = 0; b < B; b++) {
      const o = (out >> 2) + (t * B + b) * ldo;
      if (!isActive(h, lengths, b, t)) {
        F.fill(0, o, o + H);
        continue;
      }
      const g = (gates >> 2) + (t * B + b) * G;
      const c = (cN >> 2) + b * H;
      const hs = (hN >> 2) + b * H;
      const r = (t * B + b) * H;
      const cp = (cprev >> 2) + r;
      const tc = (tanhc >> 2) + r;
      for (let j = 0; j < H; j++) {
        const i = (F[g + j] = sigmoid(F[g + j]));
        const f = (F[g + H + j] = sigmoid(F[g + H + j]));
        const gg = (F[g + 2 * H + j] = tanh(F[g + 2 * H + j]));
        const og = (F[g + 3 * H + j] = sigmoid(F[g + 3 * H + j]));
        const cOld = F[c + j];
        F[cp + j] = cOld;
        const cNew = (F[c + j] = f * cOld + i * gg);
        const th = (F[tc + j] = tanh(cNew));
        F[hs + j] = F[o + j] = og * th;
      }
    }
  }
}

export function lstmBackward(
  h: Heap, T: number, B: number, I: number, H: number, reverse: boolean, x: number, ldx: number, wih: number, whh: number,
  lengths: number, hmask: number, gout: number, ldgo: number, dhN: number, dcN: number, gates: number, hprev: number,
  hdrop: number, cprev: number, tanhc: number, dgates: number, dx: number, lddx: number, dh0: number, dc0: number,
  dhs: number, dwih: number, dwhh: number, dbih: number, dbhh: number, scratch: number, work: number,
): void {
  const G = 4 * H;
  initState(h, B * H, dh0, dhN);
  initState(h, B * H, dc0, dcN);
  packPlain(h, G, H, whh, work);
  const F = h.f;
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, !reverse);
    const dgT = dgates + 4 * t * B * G;
    for (let b = 0; b < B; b++) {
      const dg = (dgT >> 2) + b * G;
      if (!isActive(h, lengths, b, t)) {
        fill(h, G, dgT + 4 * b * G, 0);
        recordStep(h, dhs, t, B, b, H, 0);
        continue;
      }
      if (gout !== 0) axpy(h, H, gout + 4 * (t * B + b) * ldgo, dh0 + 4 * b * H, 1);
      recordStep(h, dhs, t, B, b, H, dh0 + 4 * b * H);
      const dh = (dh0 >> 2) + b * H;
      const dc = (dc0 >> 2) + b * H;
      const g = (gates >> 2) + (t * B + b) * G;
      const r = (t * B + b) * H;
      const cp = (cprev >> 2) + r;
      const tc = (tanhc >> 2) + r;
      for (let j = 0; j < H; j++) {
        const i = F[g + j], f = F[g + H + j], gg = F[g + 2 * H + j], og = F[g + 3 * H + j];
        const dhv = F[dh + j];
        const th = F[tc + j];
        const dcn = F[dc + j] + dhv * og * (1 - th * th);
        F[dg + j] = dcn * gg * i * (1 - i);
        F[dg + H + j] = dcn * F[cp + j] * f * (1 - f);
        F[dg + 2 * H + j] = dcn * i * (1 - gg * gg);
        F[dg + 3 * H + j] = dhv * th * og * (1 - og);
        F[dc + j] = dcn * f;
        F[dh + j] = 0;
      }
    }
    recurrentGrad(h, B, H, G, dgT, G, work, dh0, hmask, recurrentAccumulator(h, B, H, dh0, hmask, scratch));
  }
  linearBackward(h, T * B, G, I, dgates, G, x, ldx, wih, dwih, dbih, dx, lddx, work);
  linearBackward(h, T * B, G, H, dgates, G, hmask !== 0 ? hdrop : hprev, H, whh, dwhh, dbhh, 0, 0, work);
}

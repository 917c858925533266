// JS twin of assembly/cells/rnn.ts.

import type { Heap } from "../../memory/heap.ts";
import { gemmPacked } from "../gemm.ts";
import { axpy, fill } from "../elementwise.ts";
import { tanh } from "../math.ts";
import { linearBackward, linearForward } from "../linear.ts";
import {
  initState, isActive, recordStep, packPlain, packTransposed, recurrentAccumulator, recurrentGrad, recurrentInput, saveState, timeAt,
} from "./sequence.ts";

export function rnnForward(
  h: Heap, T: number, B: number, I: number, H: number, relu: boolean, reverse: boolean, x: number, ldx: number, wih: number,
  whh: number, bih: number, bhh: number, h0: number, lengths: number, hmask: number, out: number, ldo: number,
  hN: number, gates: number, hprev: number, hdrop: number, work: number,
): void {
  linearForward(h, T * B, H, I, x, ldx, wih, bih, bhh, gates, H, work);
  packTransposed(h, H, H, whh, work);
  initState(h, B * H, hN, h0);
  const F = h.f;
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, reverse);
    const hp = saveState(h, B, H, hN, hprev, t);
    gemmPacked(h, B, H, H, recurrentInput(h, B, H, hp, hmask, hdrop, t), H, 1, work, gates + 4 * t * B * H, H);
    for (let b = 0; b < B; b++) {
      const o = (out >> 2) + (t * B + b) * ldo;
      if (!isActive(h, lengths, b, t)) {
        F.fill(0, o, o + H);
        continue;
      }
      const g = (gates >> 2) + (t * B + b) * H;
      const hs = (hN >> 2) + b * H;
      for (let j = 0; j < H; j++) {
        const a = F[g + j];
        F[g + j] = F[hs + j] = F[o + j] = relu ? Math.max(a, 0) : tanh(a);
      }
    }
  }
}

export function rnnBackward(
  h: Heap, T: number, B: number, I: number, H: number, relu: boolean, reverse: boolean, x: number, ldx: number, wih: number,
  whh: number, lengths: number, hmask: number, gout: number, ldgo: number, dhN: number, gates: number, hprev: number,
  hdrop: number, dgates: number, dx: number, lddx: number, dh0: number, dhs: number, dwih: number, dwhh: number, dbih: number,
  dbhh: number, scratch: number, work: number,
): void {
  initState(h, B * H, dh0, dhN);
  packPlain(h, H, H, whh, work);
  const F = h.f;
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, !reverse);
    const dgT = dgates + 4 * t * B * H;
    for (let b = 0; b < B; b++) {
      if (!isActive(h, lengths, b, t)) {
        fill(h, H, dgT + 4 * b * H, 0);
        recordStep(h, dhs, t, B, b, H, 0);
        continue;
      }
      if (gout !== 0) axpy(h, H, gout + 4 * (t * B + b) * ldgo, dh0 + 4 * b * H, 1);
      recordStep(h, dhs, t, B, b, H, dh0 + 4 * b * H);
      const dh = (dh0 >> 2) + b * H;
      const dg = (dgT >> 2) + b * H;
      const y = (gates >> 2) + (t * B + b) * H;
      for (let j = 0; j < H; j++) {
        const yv = F[y + j];
        const d = F[dh + j];
        F[dg + j] = relu ? (yv > 0 ? d : 0) : d * (1 - yv * yv);
        F[dh + j] = 0;
      }
    }
    recurrentGrad(h, B, H, H, dgT, H, work, dh0, hmask, recurrentAccumulator(h, B, H, dh0, hmask, scratch));
  }
  linearBackward(h, T * B, H, I, dgates, H, x, ldx, wih, dwih, dbih, dx, lddx, work);
  linearBackward(h, T * B, H, H, dgates, H, hmask !== 0 ? hdrop : hprev, H, whh, dwhh, dbhh, 0, 0, work);
}

// JS twin of assembly/layers/pooling.ts.

import type { Heap } from "../../memory/heap.ts";
import { isActive } from "../cells/sequence.ts";

const lengthOf = (h: Heap, lengths: number, b: number, T: number) => (lengths === 0 ? T : h.i32[(lengths >> 2) + b]);

export function poolMeanForward(h: Heap, T: number, B: number, W: number, x: number, lengths: number, out: number): void {
  const F = h.f;
  const o = out >> 2;
  F.fill(0, o, o + B * W);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      if (!isActive(h, lengths, b, t)) continue;
      const r = (x >> 2) + (t * B + b) * W;
      for (let j = 0; j < W; j++) F[o + b * W + j] += F[r + j];
    }
  }
  for (let b = 0; b < B; b++) {
    const k = 1 / lengthOf(h, lengths, b, T);
    for (let j = 0; j < W; j++) F[o + b * W + j] *= k;
  }
}

export function poolMeanBackward(h: Heap, T: number, B: number, W: number, gout: number, lengths: number, dx: number): void {
  const F = h.f;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const d = (dx >> 2) + (t * B + b) * W;
      const active = isActive(h, lengths, b, t);
      const k = 1 / lengthOf(h, lengths, b, T);
      for (let j = 0; j < W; j++) F[d + j] = active ? k * F[(gout >> 2) + b * W + j] : 0;
    }
  }
}

export function poolMaxForward(
  h: Heap, T: number, B: number, W: number, x: number, lengths: number, out: number, argmax: number,
): void {
  const F = h.f;
  const I = h.i32;
  F.copyWithin(out >> 2, x >> 2, (x >> 2) + B * W);
  I.fill(0, argmax >> 2, (argmax >> 2) + B * W);
  for (let t = 1; t < T; t++) {
    for (let b = 0; b < B; b++) {
      if (!isActive(h, lengths, b, t)) continue;
      const r = (x >> 2) + (t * B + b) * W;
      for (let j = 0; j < W; j++) {
        const o = (out >> 2) + b * W + j;
        if (F[r + j] > F[o]) {
          F[o] = F[r + j];
          I[(argmax >> 2) + b * W + j] = t;
        }
      }
    }
  }
}

export function poolMaxBackward(h: Heap, T: number, B: number, W: number, gout: number, argmax: number, dx: number): void {
  const F = h.f;
  F.fill(0, dx >> 2, (dx >> 2) + T * B * W);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < W; j++) {
      const t = h.i32[(argmax >> 2) + b * W + j];
      F[(dx >> 2) + (t * B + b) * W + j] = F[(gout >> 2) + b * W + j];
    }
  }
}

// JS twin of assembly/kernels/softmax.ts.

import type { Heap } from "../memory/heap.ts";

export function softmaxRows(h: Heap, M: number, N: number, x: number, ldx: number, y: number, ldy: number): void {
  const F = h.f;
  for (let i = 0; i < M; i++) {
    const xr = (x >> 2) + i * ldx;
    const yr = (y >> 2) + i * ldy;
    let m = -Infinity;
    for (let j = 0; j < N; j++) m = Math.max(m, F[xr + j]);
    let s = 0;
    for (let j = 0; j < N; j++) s += F[yr + j] = Math.exp(F[xr + j] - m);
    for (let j = 0; j < N; j++) F[yr + j] /= s;
  }
}

export function softmaxCrossEntropy(
  h: Heap, M: number, N: number, logits: number, ld: number, targets: number, grad: number, ldg: number, ignoreIndex: number,
  gscale: number,
): number {
  const F = h.f;
  const T = h.i32;
  let loss = 0;
  for (let i = 0; i < M; i++) {
    const x = (logits >> 2) + i * ld;
    const target = T[(targets >> 2) + i];
    const g = grad ? (grad >> 2) + i * ldg : -1;
    if (target === ignoreIndex) {
      if (g >= 0) F.fill(0, g, g + N);
      continue;
    }
    let m = -Infinity;
    for (let j = 0; j < N; j++) m = Math.max(m, F[x + j]);
    let s = 0;
    for (let j = 0; j < N; j++) s += Math.exp(F[x + j] - m);
    loss += Math.log(s) + m - F[x + target];
    if (g >= 0) {
      for (let j = 0; j < N; j++) F[g + j] = (gscale * Math.exp(F[x + j] - m)) / s;
      F[g + target] -= gscale;
    }
  }
  return loss;
}

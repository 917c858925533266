// JS twin of assembly/optim/adagrad.ts.

import type { Heap } from "../../memory/heap.ts";

export function adagradStep(h: Heap, n: number, p: number, g: number, sum: number, clr: number, eps: number, wd: number): void {
  const F = h.f;
  for (let i = 0, pi = p >> 2, gi = g >> 2, si = sum >> 2; i < n; i++) {
    const pv = F[pi + i];
    const gv = F[gi + i] + wd * pv;
    const s = (F[si + i] += gv * gv);
    F[pi + i] = pv - clr * (gv / (Math.sqrt(s) + eps));
  }
}

// JS twin of assembly/optim/rmsprop.ts.

import type { Heap } from "../../memory/heap.ts";

export function rmspropStep(
  h: Heap, n: number, p: number, g: number, sq: number, ga: number, buf: number, lr: number, alpha: number, eps: number,
  wd: number, momentum: number,
): void {
  const F = h.f;
  for (let i = 0, pi = p >> 2, gi = g >> 2, si = sq >> 2, ai = ga >> 2, bi = buf >> 2; i < n; i++) {
    const pv = F[pi + i];
    const gv = F[gi + i] + wd * pv;
    const s = (F[si + i] = alpha * F[si + i] + (1 - alpha) * gv * gv);
    let avg: number;
    if (ga !== 0) {
      const a = (F[ai + i] = alpha * F[ai + i] + (1 - alpha) * gv);
      avg = Math.sqrt(s - a * a) + eps;
    } else {
      avg = Math.sqrt(s) + eps;
    }
    let d = gv / avg;
    if (buf !== 0) d = F[bi + i] = momentum * F[bi + i] + d;
    F[pi + i] = pv - lr * d;
  }
}

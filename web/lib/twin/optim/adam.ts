// JS twin of assembly/optim/adam.ts.

import type { Heap } from "../../memory/heap.ts";

export function adamStep(
  h: Heap, n: number, p: number, g: number, m: number, v: number, lr: number, beta1: number, beta2: number, eps: number,
  wd: number, decoupled: boolean, bc1: number, bc2: number,
): void {
  const F = h.f;
  const stepSize = lr / bc1;
  const invSqrtBc2 = 1 / Math.sqrt(bc2);
  const decay = decoupled ? 1 - lr * wd : 1;
  const l2 = decoupled ? 0 : wd;
  for (let i = 0, pi = p >> 2, gi = g >> 2, mi = m >> 2, vi = v >> 2; i < n; i++) {
    const pv = F[pi + i];
    const gv = F[gi + i] + l2 * pv;
    const mv = (F[mi + i] = beta1 * F[mi + i] + (1 - beta1) * gv);
    const vv = (F[vi + i] = beta2 * F[vi + i] + (1 - beta2) * gv * gv);
    F[pi + i] = pv * decay - stepSize * (mv / (Math.sqrt(vv) * invSqrtBc2 + eps));
  }
}

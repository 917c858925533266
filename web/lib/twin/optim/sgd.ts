// JS twin of assembly/optim/sgd.ts.

import type { Heap } from "../../memory/heap.ts";

export function sgdStep(
  h: Heap, n: number, p: number, g: number, buf: number, lr: number, momentum: number, dampening: number, wd: number,
  nesterov: boolean, first: boolean,
): void {
  const F = h.f;
  for (let i = 0, pi = p >> 2, gi = g >> 2, bi = buf >> 2; i < n; i++) {
    const pv = F[pi + i];
    let d = F[gi + i] + wd * pv;
    if (buf !== 0) {
      const b = first ? d : momentum * F[bi + i] + (1 - dampening) * d;
      F[bi + i] = b;
      d = nesterov ? d + momentum * b : b;
    }
    F[pi + i] = pv - lr * d;
  }
}

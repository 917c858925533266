// JS twin of assembly/layers/embedding.ts.

import type { Heap } from "../../memory/heap.ts";

export function embeddingForward(h: Heap, n: number, D: number, ids: number, W: number, out: number, ldo: number): void {
  const F = h.f;
  for (let i = 0; i < n; i++) {
    const id = h.i32[(ids >> 2) + i];
    F.copyWithin((out >> 2) + i * ldo, (W >> 2) + id * D, (W >> 2) + (id + 1) * D);
  }
}

export function embeddingBackward(
  h: Heap, n: number, D: number, ids: number, gout: number, ldg: number, dW: number, paddingIdx: number,
): void {
  const F = h.f;
  for (let i = 0; i < n; i++) {
    const id = h.i32[(ids >> 2) + i];
    if (id === paddingIdx) continue;
    const row = (dW >> 2) + id * D;
    const g = (gout >> 2) + i * ldg;
    for (let j = 0; j < D; j++) F[row + j] += F[g + j];
  }
}

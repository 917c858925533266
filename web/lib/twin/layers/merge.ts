// JS twin of assembly/layers/merge.ts.

import type { Heap } from "../../memory/heap.ts";

export function mergeForward(h: Heap, M: number, H: number, mode: number, x: number, y: number): void {
  const F = h.f;
  for (let i = 0; i < M; i++) {
    const f = (x >> 2) + i * 2 * H;
    const o = (y >> 2) + i * H;
    for (let j = 0; j < H; j++) {
      const a = F[f + j], b = F[f + H + j];
      F[o + j] = mode === 3 ? a * b : mode === 2 ? (a + b) * 0.5 : a + b;
    }
  }
}

export function mergeBackward(h: Heap, M: number, H: number, mode: number, x: number, dy: number, dx: number): void {
  const F = h.f;
  for (let i = 0; i < M; i++) {
    const f = (x >> 2) + i * 2 * H;
    const d = (dy >> 2) + i * H;
    const o = (dx >> 2) + i * 2 * H;
    for (let j = 0; j < H; j++) {
      const g = F[d + j];
      F[o + j] = mode === 3 ? g * F[f + H + j] : mode === 2 ? 0.5 * g : g;
      F[o + H + j] = mode === 3 ? g * F[f + j] : mode === 2 ? 0.5 * g : g;
    }
  }
}

// JS twin of assembly/kernels/loss.ts.

import type { Heap } from "../memory/heap.ts";
import { sigmoid } from "./math.ts";

export function bceWithLogits(h: Heap, n: number, x: number, t: number, grad: number, scale: number): number {
  const F = h.f;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const xv = F[(x >> 2) + i];
    const tv = F[(t >> 2) + i];
    loss += Math.max(xv, 0) - xv * tv + Math.log1p(Math.exp(-Math.abs(xv)));
    if (grad) F[(grad >> 2) + i] = scale * (sigmoid(xv) - tv);
  }
  return loss;
}

export function squaredError(h: Heap, n: number, y: number, t: number, grad: number, scale: number): number {
  const F = h.f;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const d = F[(y >> 2) + i] - F[(t >> 2) + i];
    loss += d * d;
    if (grad) F[(grad >> 2) + i] = 2 * scale * d;
  }
  return loss;
}

// JS twin of assembly/kernels/elementwise.ts.

import type { Heap } from "../memory/heap.ts";
import { tanh as tanhOf } from "./math.ts";

export function fill(h: Heap, n: number, p: number, v: number): void {
  h.f.fill(v, p >> 2, (p >> 2) + n);
}

export function axpy(h: Heap, n: number, x: number, y: number, a: number): void {
  const F = h.f;
  for (let i = 0, xi = x >> 2, yi = y >> 2; i < n; i++) F[yi + i] += a * F[xi + i];
}

export function add(h: Heap, n: number, a: number, b: number, y: number): void {
  const F = h.f;
  for (let i = 0, ai = a >> 2, bi = b >> 2, yi = y >> 2; i < n; i++) F[yi + i] = F[ai + i] + F[bi + i];
}

export function scale(h: Heap, n: number, p: number, s: number): void {
  const F = h.f;
  for (let i = p >> 2, end = i + n; i < end; i++) F[i] *= s;
}

export function clamp(h: Heap, n: number, p: number, lo: number, hi: number): void {
  const F = h.f;
  for (let i = p >> 2, end = i + n; i < end; i++) F[i] = Math.min(hi, Math.max(lo, F[i]));
}

export function fillRows(h: Heap, M: number, N: number, C: number, ldc: number, b1: number, b2: number): void {
  const F = h.f;
  for (let i = 0; i < M; i++) {
    const c = (C >> 2) + i * ldc;
    for (let j = 0; j < N; j++) F[c + j] = (b1 ? F[(b1 >> 2) + j] : 0) + (b2 ? F[(b2 >> 2) + j] : 0);
  }
}

export function colSums(h: Heap, M: number, N: number, A: number, lda: number, out: number): void {
  const F = h.f;
  const o = out >> 2;
  for (let i = 0; i < M; i++) {
    const a = (A >> 2) + i * lda;
    for (let j = 0; j < N; j++) F[o + j] += F[a + j];
  }
}

export function countNonFinite(h: Heap, n: number, p: number): number {
  const F = h.f;
  let count = 0;
  for (let i = p >> 2, end = i + n; i < end; i++) if (!Number.isFinite(F[i])) count++;
  return count;
}

export function sumSquares(h: Heap, n: number, p: number): number {
  const F = h.f;
  let total = 0;
  for (let i = p >> 2, end = i + n; i < end; i++) total += F[i] * F[i];
  return total;
}

function map(h: Heap, x: number, y: number, n: number, fn: (v: number) => number): void {
  const F = h.f;
  for (let i = 0, xi = x >> 2, yi = y >> 2; i < n; i++) F[yi + i] = fn(F[xi + i]);
}

export const tanh = (h: Heap, n: number, x: number, y: number): void => map(h, x, y, n, tanhOf);

export function mul(h: Heap, n: number, a: number, b: number, y: number): void {
  const F = h.f;
  for (let i = 0, ai = a >> 2, bi = b >> 2, yi = y >> 2; i < n; i++) F[yi + i] = F[ai + i] * F[bi + i];
}

export function addMul(h: Heap, n: number, a: number, b: number, y: number): void {
  const F = h.f;
  for (let i = 0, ai = a >> 2, bi = b >> 2, yi = y >> 2; i < n; i++) F[yi + i] += F[ai + i] * F[bi + i];
}

export function tanhBackward(h: Heap, n: number, y: number, dy: number, dx: number): void {
  const F = h.f;
  for (let i = 0, yi = y >> 2, di = dy >> 2, xi = dx >> 2; i < n; i++) F[xi + i] = F[di + i] * (1 - F[yi + i] * F[yi + i]);
}

export function copyRows(h: Heap, M: number, N: number, src: number, lds: number, dst: number, ldd: number): void {
  const F = h.f;
  for (let i = 0; i < M; i++) F.copyWithin((dst >> 2) + i * ldd, (src >> 2) + i * lds, (src >> 2) + i * lds + N);
}

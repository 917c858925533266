// JS twin of assembly/kernels/gemm.ts: the same packed-panel layout and entry
// points, with a scalar 1×8 inner kernel (eight accumulators stay in registers).

import type { Heap } from "../memory/heap.ts";

const NR = 8;

/** Floats needed to pack a K×N operand. */
export function packedSize(K: number, N: number): number {
  return K * (Math.ceil(N / NR) * NR);
}

export function packB(h: Heap, K: number, N: number, B: number, rsb: number, csb: number, Bp: number): void {
  const F = h.f;
  const b = B >> 2;
  let dst = Bp >> 2;
  for (let n0 = 0; n0 < N; n0 += NR) {
    const nr = Math.min(NR, N - n0);
    for (let k = 0; k < K; k++) {
      const row = b + k * rsb + n0 * csb;
      for (let c = 0; c < NR; c++) F[dst++] = c < nr ? F[row + c * csb] : 0;
    }
  }
}

export function gemmPacked(
  h: Heap, M: number, N: number, K: number, A: number, rsa: number, csa: number, Bp: number, C: number, ldc: number,
): void {
  const F = h.f;
  const a0 = A >> 2;
  const c0 = C >> 2;
  for (let n0 = 0, bp = Bp >> 2; n0 < N; n0 += NR, bp += K * NR) {
    const nr = Math.min(NR, N - n0);
    for (let i = 0; i < M; i++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      let a = a0 + i * rsa;
      let b = bp;
      for (let k = 0; k < K; k++) {
        const x = F[a];
        s0 += x * F[b];
        s1 += x * F[b + 1];
        s2 += x * F[b + 2];
        s3 += x * F[b + 3];
        s4 += x * F[b + 4];
        s5 += x * F[b + 5];
        s6 += x * F[b + 6];
        s7 += x * F[b + 7];
        a += csa;
        b += NR;
      }
      const c = c0 + i * ldc + n0;
      F[c] += s0;
      if (nr > 1) F[c + 1] += s1;
      if (nr > 2) F[c + 2] += s2;
      if (nr > 3) F[c + 3] += s3;
      if (nr > 4) F[c + 4] += s4;
      if (nr > 5) F[c + 5] += s5;
      if (nr > 6) F[c + 6] += s6;
      if (nr > 7) F[c + 7] += s7;
    }
  }
}

export function gemmNN(
  h: Heap, M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number, work: number,
): void {
  packB(h, K, N, B, ldb, 1, work);
  gemmPacked(h, M, N, K, A, lda, 1, work, C, ldc);
}

/** Reads A in place: the Wasm kernel's transposed A block (after the packed B in `work`) only serves its cache behaviour. */
export function gemmTN(
  h: Heap, M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number, work: number,
): void {
  packB(h, K, N, B, ldb, 1, work);
  gemmPacked(h, M, N, K, A, 1, lda, work, C, ldc);
}

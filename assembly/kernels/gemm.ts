// Single-precision matrix multiply, C += A·B, for every product BPTT needs.
//
// B is packed into panels (pack.ts), so one set of register-blocked
// microkernels (microkernels/, one per file) serves A·B, A·Bᵀ and Aᵀ·B: A is
// read through (row, column) strides. Recurrences pack their weight matrix
// whole, once per sequence, and call gemmPacked at every step; gemmNN, gemmTN
// and gemmTN2 pack B one k-block at a time, so their workspace does not grow
// with the sequence. The build picks the microkernels: Wasm SIMD (fused in
// the FMA build) or their scalar references.

import { gemm1x8Scalar } from "./microkernels/f32-gemm-1x8-scalar";
import { gemm1x24Scalar } from "./microkernels/f32-gemm-1x24-scalar";
import { gemm1x24Simd } from "./microkernels/f32-gemm-1x24-wasmsimd";
import { gemm1x8Simd } from "./microkernels/f32-gemm-1x8-wasmsimd";
import { gemm4x8Scalar } from "./microkernels/f32-gemm-4x8-scalar";
import { gemm4x8Simd } from "./microkernels/f32-gemm-4x8-wasmsimd";
import { NR } from "./microkernels/tile";
import { packB, packedSize } from "./pack";
import { transposeBlock } from "./transpose";

export { packB, packedSize };

const MR: i32 = 4;
const KC: i32 = 256; // k-block: keeps a panel slice in L1 while rows stream through
const MC: i32 = 64; // row block: keeps A's slice hot across panels
/** Floats of scratch for one transposed A block (Aᵀ·B forms). */
const ABLOCK: i32 = MC * KC;

/** Floats of gemmNN's workspace: one k-block of the packed K×N operand. */
export function nnWork(K: i32, N: i32): i32 {
  return packedSize(min(K, KC), N);
}

/** Floats of gemmTN's workspace: one k-block of the packed K×N operand and one transposed A block. */
export function tnWork(K: i32, N: i32): i32 {
  return nnWork(K, N) + ABLOCK;
}

/** Floats of gemmTN2's workspace: one k-block of each packed operand and one transposed A block. */
export function tnPairWork(K: i32, N1: i32, N2: i32): i32 {
  return nnWork(K, N1) + nnWork(K, N2) + ABLOCK;
}

@inline function tile4x8(kc: i32, a: usize, rsa: i32, csa: i32, bp: usize, c: usize, ldc: i32, nr: i32): void {
  if (ASC_FEATURE_SIMD) gemm4x8Simd(kc, a, rsa, csa, bp, c, ldc, nr);
  else gemm4x8Scalar(kc, a, rsa, csa, bp, c, ldc, nr);
}

@inline function tile1x8(kc: i32, a: usize, rsa: i32, csa: i32, bp: usize, c: usize, ldc: i32, nr: i32): void {
  if (ASC_FEATURE_SIMD) gemm1x8Simd(kc, a, rsa, csa, bp, c, ldc, nr);
  else gemm1x8Scalar(kc, a, rsa, csa, bp, c, ldc, nr);
}

@inline function tile1x24(kc: i32, a: usize, rsa: i32, csa: i32, bp: usize, ps: i32, c: usize, ldc: i32, nr: i32): void {
  if (ASC_FEATURE_SIMD) gemm1x24Simd(kc, a, rsa, csa, bp, ps, c, ldc, nr);
  else gemm1x24Scalar(kc, a, rsa, csa, bp, ps, c, ldc, nr);
}

/**
 * C += A·B with B packed whole by packB (the recurrences pack their weights once
 * per sequence). Element (i, k) of A is at A + 4·(i·rsa + k·csa); C is row-major
 * with leading dimension ldc.
 */
export function gemmPacked(M: i32, N: i32, K: i32, A: usize, rsa: i32, csa: i32, Bp: usize, C: usize, ldc: i32): void {
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    for (let i0 = 0; i0 < M; i0 += MC) {
      const a = A + (<usize>(i0 * rsa + k0 * csa) << 2);
      blockTimesPanels(min(MC, M - i0), kc, a, rsa, csa, N, Bp + (<usize>(k0 * NR) << 2), K, C + (<usize>(i0 * ldc) << 2), ldc);
    }
  }
}

/**
 * C1 += A·B1 and, when N2 > 0, C2 += A·B2, with B1 and B2 row-major (row strides
 * rsb1, rsb2) packed one k-block at a time into work; each block of A serves
 * both. With transposeA, A is column-major (rsa = 1) and each block is copied to
 * rows first (its power-of-two column strides would otherwise thrash L1).
 */
function gemmStreamed(
  M: i32, K: i32, A: usize, rsa: i32, csa: i32, transposeA: bool, N1: i32, B1: usize, rsb1: i32, C1: usize, ldc1: i32,
  N2: i32, B2: usize, rsb2: i32, C2: usize, ldc2: i32, work: usize,
): void {
  const Bp2 = work + (<usize>nnWork(K, N1) << 2);
  const Ablock = Bp2 + (<usize>(N2 > 0 ? nnWork(K, N2) : 0) << 2);
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    packB(kc, N1, B1 + (<usize>(k0 * rsb1) << 2), rsb1, 1, work);
    if (N2 > 0) packB(kc, N2, B2 + (<usize>(k0 * rsb2) << 2), rsb2, 1, Bp2);
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = min(MC, M - i0);
      // The block's rows, at (row stride rs, column stride cs) from a.
      let a = A + (<usize>(i0 * rsa + k0 * csa) << 2);
      let rs = rsa;
      let cs = csa;
      if (transposeA) {
        transposeBlock(mc, kc, a, csa, Ablock);
        a = Ablock;
        rs = kc;
        cs = 1;
      }
      blockTimesPanels(mc, kc, a, rs, cs, N1, work, kc, C1 + (<usize>(i0 * ldc1) << 2), ldc1);
      if (N2 > 0) blockTimesPanels(mc, kc, a, rs, cs, N2, Bp2, kc, C2 + (<usize>(i0 * ldc2) << 2), ldc2);
    }
  }
}

/** C (mc rows) += the mc×kc block at a times kc rows of every panel of a packed operand (bp: the first panel's row; K: rows per panel). */
@inline function blockTimesPanels(mc: i32, kc: i32, a: usize, rs: i32, cs: i32, N: i32, bp: usize, K: i32, C: usize, ldc: i32): void {
  const panels = (N + NR - 1) / NR;
  const full = mc - mc % MR;
  for (let p = 0; p < panels; p++) {
    const n0 = p * NR;
    const b = bp + (<usize>(p * K * NR) << 2);
    for (let i = 0; i < full; i += MR) tile4x8(kc, a + (<usize>(i * rs) << 2), rs, cs, b, C + (<usize>(i * ldc + n0) << 2), ldc, min(NR, N - n0));
  }
  // The rows left over (all of them for a batch of one), three panels per call, then one at a time.
  for (let i = full; i < mc; i++) {
    const ai = a + (<usize>(i * rs) << 2);
    const ci = C + (<usize>(i * ldc) << 2);
    let p = 0;
    for (; p + 2 < panels; p += 3) tile1x24(kc, ai, rs, cs, bp + (<usize>(p * K * NR) << 2), K * NR, ci + (<usize>(p * NR) << 2), ldc, min(3 * NR, N - p * NR));
    for (; p < panels; p++) tile1x8(kc, ai, rs, cs, bp + (<usize>(p * K * NR) << 2), ci + (<usize>(p * NR) << 2), ldc, min(NR, N - p * NR));
  }
}

/** C[M×N] += A[M×K]·B[K×N]; row-major operands with leading dimensions. `work`: nnWork(K, N) floats. */
export function gemmNN(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, work: usize): void {
  gemmStreamed(M, K, A, lda, 1, false, N, B, ldb, C, ldc, 0, 0, 0, 0, 0, work);
}

/** C[M×N] += Aᵀ·B with A stored K×M and B stored K×N. `work`: tnWork(K, N) floats. */
export function gemmTN(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, work: usize): void {
  gemmStreamed(M, K, A, 1, lda, true, N, B, ldb, C, ldc, 0, 0, 0, 0, 0, work);
}

/**
 * C1[M×N1] += Aᵀ·B1 and C2[M×N2] += Aᵀ·B2 with A stored K×M, B1 K×N1 and B2 K×N2: the weight
 * gradients of a cell's two projections from one output gradient, whose transposed blocks serve
 * both. `work`: tnPairWork(K, N1, N2) floats.
 */
export function gemmTN2(
  M: i32, K: i32, A: usize, lda: i32, N1: i32, B1: usize, ldb1: i32, C1: usize, ldc1: i32, N2: i32, B2: usize, ldb2: i32, C2: usize, ldc2: i32,
  work: usize,
): void {
  gemmStreamed(M, K, A, 1, lda, true, N1, B1, ldb1, C1, ldc1, N2, B2, ldb2, C2, ldc2, work);
}

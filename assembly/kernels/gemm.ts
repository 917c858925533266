// Single-precision matrix multiply, C += A·B, for every product BPTT needs.
//
// B is packed into panels (pack.ts), so one set of register-blocked
// microkernels (microkernels/, one per file) serves A·B, A·Bᵀ and Aᵀ·B: A is
// read through (row, column) strides. Recurrences pack their weight matrix
// once per sequence and call gemmPacked at every step. The build picks the
// microkernels: Wasm SIMD (fused in the FMA build) or their scalar references.

import { gemm1x8Scalar } from "./microkernels/f32-gemm-1x8-scalar";
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
export const ABLOCK: i32 = MC * KC;

/** Floats of gemmNN's workspace. */
export function nnWork(K: i32, N: i32): i32 {
  return packedSize(K, N);
}

/** Floats of gemmTN's workspace: the packed K×N operand and one transposed A block. */
export function tnWork(K: i32, N: i32): i32 {
  return packedSize(K, N) + ABLOCK;
}

@inline function tile4x8(kc: i32, a: usize, rsa: i32, csa: i32, bp: usize, c: usize, ldc: i32, nr: i32): void {
  if (ASC_FEATURE_SIMD) gemm4x8Simd(kc, a, rsa, csa, bp, c, ldc, nr);
  else gemm4x8Scalar(kc, a, rsa, csa, bp, c, ldc, nr);
}

@inline function tile1x8(kc: i32, a: usize, rsa: i32, csa: i32, bp: usize, c: usize, ldc: i32, nr: i32): void {
  if (ASC_FEATURE_SIMD) gemm1x8Simd(kc, a, rsa, csa, bp, c, ldc, nr);
  else gemm1x8Scalar(kc, a, rsa, csa, bp, c, ldc, nr);
}

/**
 * C += A·B with B packed by packB. Element (i, k) of A is at A + 4·(i·rsa + k·csa);
 * C is row-major with leading dimension ldc.
 */
export function gemmPacked(M: i32, N: i32, K: i32, A: usize, rsa: i32, csa: i32, Bp: usize, C: usize, ldc: i32): void {
  gemmBlocked(M, N, K, A, rsa, csa, Bp, C, ldc, 0);
}

/** As gemmPacked; Ablock (ABLOCK floats, or 0) lets column-major blocks of A be copied to rows first. */
export function gemmBlocked(M: i32, N: i32, K: i32, A: usize, rsa: i32, csa: i32, Bp: usize, C: usize, ldc: i32, Ablock: usize): void {
  gemmBlockedPair(M, K, A, rsa, csa, Ablock, N, Bp, C, ldc, 0, 0, 0, 0);
}

/** gemmBlocked with two packed right operands at once (N2 = 0: only the first): each block of A, transposed once, serves both. */
function gemmBlockedPair(
  M: i32, K: i32, A: usize, rsa: i32, csa: i32, Ablock: usize, N1: i32, Bp1: usize, C1: usize, ldc1: i32, N2: i32, Bp2: usize, C2: usize, ldc2: i32,
): void {
  const transpose = Ablock != 0 && rsa == 1 && csa > 1;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = min(MC, M - i0);
      // The block's rows, at (row stride rs, column stride cs) from a.
      let a = A + (<usize>(i0 * rsa + k0 * csa) << 2);
      let rs = rsa;
      let cs = csa;
      if (transpose) {
        transposeBlock(mc, kc, a, csa, Ablock);
        a = Ablock;
        rs = kc;
        cs = 1;
      }
      blockTimesPanels(mc, kc, a, rs, cs, N1, Bp1 + (<usize>(k0 * NR) << 2), K, C1 + (<usize>(i0 * ldc1) << 2), ldc1);
      if (N2 > 0) blockTimesPanels(mc, kc, a, rs, cs, N2, Bp2 + (<usize>(k0 * NR) << 2), K, C2 + (<usize>(i0 * ldc2) << 2), ldc2);
    }
  }
}

/** C (mc rows) += the mc×kc block at a times rows k0… of every panel of a packed K×N operand (bp: its first panel at row k0). */
@inline function blockTimesPanels(mc: i32, kc: i32, a: usize, rs: i32, cs: i32, N: i32, bp: usize, K: i32, C: usize, ldc: i32): void {
  const panels = (N + NR - 1) / NR;
  for (let p = 0; p < panels; p++) {
    const n0 = p * NR;
    const nr = min(NR, N - n0);
    const b = bp + (<usize>(p * K * NR) << 2);
    const c = C + (<usize>n0 << 2);
    let i = 0;
    for (; i + MR <= mc; i += MR) tile4x8(kc, a + (<usize>(i * rs) << 2), rs, cs, b, c + (<usize>(i * ldc) << 2), ldc, nr);
    for (; i < mc; i++) tile1x8(kc, a + (<usize>(i * rs) << 2), rs, cs, b, c + (<usize>(i * ldc) << 2), ldc, nr);
  }
}

/** C[M×N] += A[M×K]·B[K×N]; row-major operands with leading dimensions. `work`: nnWork(K, N) floats. */
export function gemmNN(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, work: usize): void {
  packB(K, N, B, ldb, 1, work);
  gemmPacked(M, N, K, A, lda, 1, work, C, ldc);
}

/** C[M×N] += Aᵀ·B with A stored K×M and B stored K×N. `work`: tnWork(K, N) floats. */
export function gemmTN(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, work: usize): void {
  packB(K, N, B, ldb, 1, work);
  gemmBlocked(M, N, K, A, 1, lda, work, C, ldc, work + (<usize>packedSize(K, N) << 2));
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
  const Bp2 = work + (<usize>packedSize(K, N1) << 2);
  packB(K, N1, B1, ldb1, 1, work);
  packB(K, N2, B2, ldb2, 1, Bp2);
  gemmBlockedPair(M, K, A, 1, lda, Bp2 + (<usize>packedSize(K, N2) << 2), N1, work, C1, ldc1, N2, Bp2, C2, ldc2);
}

/** Floats of gemmTN2's workspace: both packed operands and one transposed A block. */
export function tnPairWork(K: i32, N1: i32, N2: i32): i32 {
  return packedSize(K, N1) + packedSize(K, N2) + ABLOCK;
}


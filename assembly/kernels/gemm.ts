// Single-precision matrix multiply, C += A·B, for every product BPTT needs.
//
// B is packed into panels of NR columns (k-major, zero-padded), so one
// register-blocked micro-kernel serves A·B, A·Bᵀ and Aᵀ·B: transposition of B
// is absorbed by the packing and A is read through (row, column) strides,
// broadcasting one element at a time. Recurrences pack their weight matrix
// once per sequence and call gemmPacked at every step.

import { madd } from "./vec";

export const NR: i32 = 8;
const MR: i32 = 4;
const KC: i32 = 256; // k-block: keeps a panel slice in L1 while rows stream through
const MC: i32 = 64; // row block: keeps A's slice hot across panels
/** Floats of scratch for one transposed A block (Aᵀ·B forms). */
export const ABLOCK: i32 = MC * KC;

/** Floats needed to pack a K×N operand. */
@inline export function packedSize(K: i32, N: i32): i32 {
  return K * ((N + NR - 1) & ~(NR - 1));
}

/** Packs B (element (k, n) at B + 4·(k·rsb + n·csb)) into NR-wide k-major panels. */
export function packB(K: i32, N: i32, B: usize, rsb: i32, csb: i32, Bp: usize): void {
  const panels = (N + NR - 1) / NR;
  for (let p = 0; p < panels; p++) {
    const n0 = p * NR;
    const nr = min(NR, N - n0);
    let dst = Bp + (<usize>(p * K * NR) << 2);
    if (ASC_FEATURE_SIMD && csb == 1 && nr == NR) {
      for (let k = 0; k < K; k++) {
        const src = B + (<usize>(k * rsb + n0) << 2);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += NR << 2;
      }
    } else {
      for (let k = 0; k < K; k++) {
        for (let c = 0; c < NR; c++) {
          const v: f32 = c < nr ? load<f32>(B + (<usize>(k * rsb + (n0 + c) * csb) << 2)) : 0;
          store<f32>(dst + (<usize>c << 2), v);
        }
        dst += NR << 2;
      }
    }
  }
}

/**
 * C += A·B with B packed by packB. Element (i, k) of A is at A + 4·(i·rsa + k·csa);
 * C is row-major with leading dimension ldc. Ablock (ABLOCK floats, or null)
 * lets the SIMD kernel copy column-major blocks of A (Aᵀ storage) to rows
 * first: their power-of-two column strides would otherwise thrash L1.
 */
export function gemmPacked(M: i32, N: i32, K: i32, A: usize, rsa: i32, csa: i32, Bp: usize, C: usize, ldc: i32): void {
  gemmPackedWith(M, N, K, A, rsa, csa, Bp, C, ldc, 0);
}

function gemmPackedWith(M: i32, N: i32, K: i32, A: usize, rsa: i32, csa: i32, Bp: usize, C: usize, ldc: i32, Ablock: usize): void {
  if (ASC_FEATURE_SIMD) gemmPackedSimd(M, N, K, A, rsa, csa, Bp, C, ldc, Ablock);
  else gemmPackedScalar(M, N, K, A, rsa, csa, Bp, C, ldc);
}

export function gemmPackedScalar(M: i32, N: i32, K: i32, A: usize, rsa: i32, csa: i32, Bp: usize, C: usize, ldc: i32): void {
  const panels = (N + NR - 1) / NR;
  for (let p = 0; p < panels; p++) {
    const n0 = p * NR;
    const nr = min(NR, N - n0);
    const bp = Bp + (<usize>(p * K * NR) << 2);
    for (let i = 0; i < M; i++) {
      const c = C + (<usize>(i * ldc + n0) << 2);
      for (let j = 0; j < nr; j++) {
        let s: f32 = 0;
        let a = A + (<usize>(i * rsa) << 2);
        let b = bp + (<usize>j << 2);
        for (let k = 0; k < K; k++) {
          s += load<f32>(a) * load<f32>(b);
          a += <usize>csa << 2;
          b += NR << 2;
        }
        store<f32>(c + (<usize>j << 2), load<f32>(c + (<usize>j << 2)) + s);
      }
    }
  }
}

export function gemmPackedSimd(M: i32, N: i32, K: i32, A: usize, rsa: i32, csa: i32, Bp: usize, C: usize, ldc: i32, Ablock: usize): void {
  const panels = (N + NR - 1) / NR;
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
      for (let p = 0; p < panels; p++) {
        const n0 = p * NR;
        const nr = min(NR, N - n0);
        const bp = Bp + (<usize>((p * K + k0) * NR) << 2);
        let i = 0;
        for (; i + MR <= mc; i += MR) {
          kernel4x8(kc, a + (<usize>(i * rs) << 2), rs, cs, bp, C + (<usize>((i0 + i) * ldc + n0) << 2), ldc, nr);
        }
        for (; i < mc; i++) {
          kernel1x8(kc, a + (<usize>(i * rs) << 2), cs, bp, C + (<usize>((i0 + i) * ldc + n0) << 2), nr);
        }
      }
    }
  }
}

/** dst (mc rows of kc) = the mc×kc block whose element (i, k) is at src + 4·(i + k·csa). */
function transposeBlock(mc: i32, kc: i32, src: usize, csa: i32, dst: usize): void {
  const ld = <usize>kc << 2;
  const step = <usize>csa << 2;
  let i = 0;
  for (; i + 4 <= mc; i += 4) {
    let s = src + (<usize>i << 2);
    const d = dst + (<usize>(i * kc) << 2);
    let k = 0;
    // 4×4 tiles: four k columns of four rows in, four row segments out.
    for (; k + 4 <= kc; k += 4) {
      const v0 = v128.load(s);
      const v1 = v128.load(s + step);
      const v2 = v128.load(s + 2 * step);
      const v3 = v128.load(s + 3 * step);
      const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
      const t1 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
      const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
      const dk = d + (<usize>k << 2);
      v128.store(dk, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
      v128.store(dk + ld, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
      v128.store(dk + 2 * ld, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
      v128.store(dk + 3 * ld, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
      s += 4 * step;
    }
    for (; k < kc; k++) {
      for (let r = 0; r < 4; r++) store<f32>(d + (<usize>(r * kc + k) << 2), load<f32>(s + (<usize>r << 2)));
      s += step;
    }
  }
  for (; i < mc; i++) {
    for (let k = 0; k < kc; k++) store<f32>(dst + (<usize>(i * kc + k) << 2), load<f32>(src + (<usize>(i + k * csa) << 2)));
  }
}

@inline function addRow(c: usize, lo: v128, hi: v128, nr: i32): void {
  if (nr == NR) {
    v128.store(c, f32x4.add(v128.load(c), lo));
    v128.store(c, f32x4.add(v128.load(c, 16), hi), 16);
    return;
  }
  // Partial panel at the right edge: only the first nr columns exist in C.
  if (nr > 0) store<f32>(c, load<f32>(c) + f32x4.extract_lane(lo, 0));
  if (nr > 1) store<f32>(c, load<f32>(c, 4) + f32x4.extract_lane(lo, 1), 4);
  if (nr > 2) store<f32>(c, load<f32>(c, 8) + f32x4.extract_lane(lo, 2), 8);
  if (nr > 3) store<f32>(c, load<f32>(c, 12) + f32x4.extract_lane(lo, 3), 12);
  if (nr > 4) store<f32>(c, load<f32>(c, 16) + f32x4.extract_lane(hi, 0), 16);
  if (nr > 5) store<f32>(c, load<f32>(c, 20) + f32x4.extract_lane(hi, 1), 20);
  if (nr > 6) store<f32>(c, load<f32>(c, 24) + f32x4.extract_lane(hi, 2), 24);
}

function kernel4x8(kc: i32, a: usize, rsa: i32, csa: i32, bp: usize, c: usize, ldc: i32, nr: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const rs = <usize>rsa << 2;
  const step = <usize>csa << 2;
  let a0 = a;
  let a1 = a + rs;
  let a2 = a1 + rs;
  let a3 = a2 + rs;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load32_splat(a0);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(a1);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(a2);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(a3);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    a0 += step;
    a1 += step;
    a2 += step;
    a3 += step;
    bp += NR << 2;
  }
  const ld = <usize>ldc << 2;
  addRow(c, c00, c01, nr);
  addRow(c + ld, c10, c11, nr);
  addRow(c + 2 * ld, c20, c21, nr);
  addRow(c + 3 * ld, c30, c31, nr);
}

function kernel1x8(kc: i32, a: usize, csa: i32, bp: usize, c: usize, nr: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  const step = <usize>csa << 2;
  for (let k = 0; k < kc; k++) {
    const x = v128.load32_splat(a);
    c0 = madd(x, v128.load(bp), c0);
    c1 = madd(x, v128.load(bp, 16), c1);
    a += step;
    bp += NR << 2;
  }
  addRow(c, c0, c1, nr);
}

/** C[M×N] += A[M×K]·B[K×N]; row-major operands with leading dimensions. `work` holds packedSize(K, N) floats. */
export function gemmNN(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, work: usize): void {
  packB(K, N, B, ldb, 1, work);
  gemmPacked(M, N, K, A, lda, 1, work, C, ldc);
}

/** C[M×N] += A[M×K]·Bᵀ with B stored N×K. */
export function gemmNT(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, work: usize): void {
  packB(K, N, B, 1, ldb, work);
  gemmPacked(M, N, K, A, lda, 1, work, C, ldc);
}

/** C[M×N] += Aᵀ·B with A stored K×M and B stored K×N. `work`: packedSize(K, N) + ABLOCK floats. */
export function gemmTN(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, work: usize): void {
  packB(K, N, B, ldb, 1, work);
  gemmPackedWith(M, N, K, A, 1, lda, work, C, ldc, work + (<usize>packedSize(K, N) << 2));
}

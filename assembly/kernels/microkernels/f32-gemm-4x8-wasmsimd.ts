// 4×8 GEMM microkernel, Wasm SIMD: per k, one row of the B panel (two v128)
// times four broadcast elements of A into eight accumulators. madd makes it
// the fused relaxed-SIMD kernel in the FMA build. Reference: f32-gemm-4x8-scalar.ts.

import { madd } from "../vec";
import { NR, addRow } from "./tile";

export function gemm4x8Simd(kc: i32, a: usize, rsa: i32, csa: i32, bp: usize, c: usize, ldc: i32, nr: i32): void {
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
  // Counted by the panel pointer: one induction variable fewer in the loop.
  const end = bp + (<usize>(kc * NR) << 2);
  for (; bp < end; ) {
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

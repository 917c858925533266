// 1×8 GEMM microkernel, Wasm SIMD (fused in the FMA build): the row tail of
// the 4×8 kernel. Reference: f32-gemm-1x8-scalar.ts.

import { madd } from "../vec";
import { NR, addRow } from "./tile";

export function gemm1x8Simd(kc: i32, a: usize, rsa: i32, csa: i32, bp: usize, c: usize, ldc: i32, nr: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  const step = <usize>csa << 2;
  const end = bp + (<usize>(kc * NR) << 2); // counted by the panel pointer, as in the 4×8 kernel
  for (; bp < end; ) {
    const x = v128.load32_splat(a);
    c0 = madd(x, v128.load(bp), c0);
    c1 = madd(x, v128.load(bp, 16), c1);
    a += step;
    bp += NR << 2;
  }
  addRow(c, c0, c1, nr);
}

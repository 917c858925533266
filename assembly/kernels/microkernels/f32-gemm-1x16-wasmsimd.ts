// 1×16 GEMM microkernel, Wasm SIMD (fused in the FMA build): one row of A
// against two packed panels at once (the second `ps` floats after the first),
// four independent sums instead of the 1×8 kernel's two, so a single row (a
// batch of one: one prediction) is not held up by the multiply-add latency.
// Each output is summed in the same order as by the 1×8 and 4×8 kernels, so a
// row's result does not depend on which kernel computed it.
// Reference: f32-gemm-1x16-scalar.ts.

import { madd } from "../vec";
import { NR, addRow } from "./tile";

export function gemm1x16Simd(kc: i32, a: usize, rsa: i32, csa: i32, bp: usize, ps: i32, c: usize, ldc: i32, nr: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  const step = <usize>csa << 2;
  const second = <usize>ps << 2;
  const end = bp + (<usize>(kc * NR) << 2); // counted by the panel pointer, as in the 4×8 kernel
  for (; bp < end; ) {
    const x = v128.load32_splat(a);
    c0 = madd(x, v128.load(bp), c0);
    c1 = madd(x, v128.load(bp, 16), c1);
    c2 = madd(x, v128.load(bp + second), c2);
    c3 = madd(x, v128.load(bp + second, 16), c3);
    a += step;
    bp += NR << 2;
  }
  addRow(c, c0, c1, min(nr, NR));
  if (nr > NR) addRow(c + (<usize>NR << 2), c2, c3, nr - NR);
}

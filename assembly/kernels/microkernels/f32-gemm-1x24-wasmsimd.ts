// 1×24 GEMM microkernel, Wasm SIMD (fused in the FMA build): one row of A
// against three packed panels at once (each `ps` floats after the one before),
// six independent sums, so a single row (a batch of one: one prediction) is
// less held up by the multiply-add latency than with the 1×8 kernel's two. Six
// sums, the splat and the six loads TurboFan schedules first fill 13 of x64's
// 15 vector registers; a fourth panel spills. Each output is summed in the
// same order as by the 1×8 and 4×8 kernels, so a row's result does not depend
// on which kernel computed it. Reference: f32-gemm-1x24-scalar.ts.

import { madd } from "../vec";
import { NR, addRow } from "./tile";

export function gemm1x24Simd(kc: i32, a: usize, rsa: i32, csa: i32, bp: usize, ps: i32, c: usize, ldc: i32, nr: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0), c4 = f32x4.splat(0), c5 = f32x4.splat(0);
  const step = <usize>csa << 2;
  const stride = <usize>ps << 2;
  const end = bp + (<usize>(kc * NR) << 2); // counted by the first panel's pointer, as in the 4×8 kernel
  for (; bp < end; ) {
    const x = v128.load32_splat(a);
    const p1 = bp + stride;
    const p2 = p1 + stride;
    c0 = madd(x, v128.load(bp), c0);
    c1 = madd(x, v128.load(bp, 16), c1);
    c2 = madd(x, v128.load(p1), c2);
    c3 = madd(x, v128.load(p1, 16), c3);
    c4 = madd(x, v128.load(p2), c4);
    c5 = madd(x, v128.load(p2, 16), c5);
    a += step;
    bp += NR << 2;
  }
  addRow(c, c0, c1, min(nr, NR));
  if (nr > NR) addRow(c + (<usize>NR << 2), c2, c3, min(nr - NR, NR));
  if (nr > 2 * NR) addRow(c + (<usize>(2 * NR) << 2), c4, c5, nr - 2 * NR);
}

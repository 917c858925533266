// 1×24 GEMM microkernel in scalar code: the reference for
// f32-gemm-1x24-wasmsimd.ts and the scalar build's single rows. Three packed
// panels, each `ps` floats after the one before; each output summed over k in
// order, as every other kernel sums it.

import { gemm1x8Scalar } from "./f32-gemm-1x8-scalar";
import { NR } from "./tile";

export function gemm1x24Scalar(kc: i32, a: usize, rsa: i32, csa: i32, bp: usize, ps: i32, c: usize, ldc: i32, nr: i32): void {
  for (let p = 0; p < 3 && p * NR < nr; p++) {
    gemm1x8Scalar(kc, a, rsa, csa, bp + (<usize>(p * ps) << 2), c + (<usize>(p * NR) << 2), ldc, min(nr - p * NR, NR));
  }
}

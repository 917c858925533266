// 1×16 GEMM microkernel in scalar code: the reference for
// f32-gemm-1x16-wasmsimd.ts and the scalar build's single rows. Two packed
// panels, the second `ps` floats after the first; each output summed over k
// in order, as every other kernel sums it.

import { gemm1x8Scalar } from "./f32-gemm-1x8-scalar";
import { NR } from "./tile";

export function gemm1x16Scalar(kc: i32, a: usize, rsa: i32, csa: i32, bp: usize, ps: i32, c: usize, ldc: i32, nr: i32): void {
  gemm1x8Scalar(kc, a, rsa, csa, bp, c, ldc, min(nr, NR));
  if (nr > NR) gemm1x8Scalar(kc, a, rsa, csa, bp + (<usize>ps << 2), c + (<usize>NR << 2), ldc, nr - NR);
}

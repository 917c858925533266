// 4×8 GEMM microkernel in scalar code: the reference for f32-gemm-4x8-wasmsimd.ts
// and the scalar build's kernel. One column of the panel at a time, four rows at once.

import { NR } from "./tile";

export function gemm4x8Scalar(kc: i32, a: usize, rsa: i32, csa: i32, bp: usize, c: usize, ldc: i32, nr: i32): void {
  const rs = <usize>rsa << 2;
  const step = <usize>csa << 2;
  const ld = <usize>ldc << 2;
  for (let j = 0; j < nr; j++) {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    let ak = a;
    let b = bp + (<usize>j << 2);
    for (let k = 0; k < kc; k++) {
      const bv = load<f32>(b);
      s0 += load<f32>(ak) * bv;
      s1 += load<f32>(ak + rs) * bv;
      s2 += load<f32>(ak + 2 * rs) * bv;
      s3 += load<f32>(ak + 3 * rs) * bv;
      ak += step;
      b += NR << 2;
    }
    const cj = c + (<usize>j << 2);
    store<f32>(cj, load<f32>(cj) + s0);
    store<f32>(cj + ld, load<f32>(cj + ld) + s1);
    store<f32>(cj + 2 * ld, load<f32>(cj + 2 * ld) + s2);
    store<f32>(cj + 3 * ld, load<f32>(cj + 3 * ld) + s3);
  }
}

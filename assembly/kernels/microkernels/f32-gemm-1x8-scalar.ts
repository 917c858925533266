// 1×8 GEMM microkernel in scalar code: the reference for f32-gemm-1x8-wasmsimd.ts
// and the scalar build's row tail.

import { NR } from "./tile";

export function gemm1x8Scalar(kc: i32, a: usize, rsa: i32, csa: i32, bp: usize, c: usize, ldc: i32, nr: i32): void {
  const step = <usize>csa << 2;
  for (let j = 0; j < nr; j++) {
    let s: f32 = 0;
    let ak = a;
    let b = bp + (<usize>j << 2);
    for (let k = 0; k < kc; k++) {
      s += load<f32>(ak) * load<f32>(b);
      ak += step;
      b += NR << 2;
    }
    const cj = c + (<usize>j << 2);
    store<f32>(cj, load<f32>(cj) + s);
  }
}

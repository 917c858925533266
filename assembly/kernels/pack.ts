// Packing of GEMM's B operand into NR-wide, k-major, zero-padded panels: the
// layout every microkernel reads. Transposition of B is absorbed here.

import { NR } from "./microkernels/tile";
import { transposeBlock } from "./transpose";

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
    if (rsb == 1 && nr == NR) {
      // Bᵀ stored by rows (a weight W, N×K, read as h·Wᵀ): the panel is the transpose of NR rows of W,
      // copied 4×4 tiles at a time instead of one strided float at a time.
      transposeBlock(K, NR, B + (<usize>(n0 * csb) << 2), csb, dst);
    } else if (ASC_FEATURE_SIMD && csb == 1 && nr == NR) {
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

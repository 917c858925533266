// Copies a column-major block of A (Aᵀ storage) to rows before GEMM reads it:
// its power-of-two column strides would otherwise thrash L1.

/** dst (mc rows of kc) = the mc×kc block whose element (i, k) is at src + 4·(i + k·csa). */
export function transposeBlock(mc: i32, kc: i32, src: usize, csa: i32, dst: usize): void {
  const ld = <usize>kc << 2;
  const step = <usize>csa << 2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
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
  }
  for (; i < mc; i++) {
    for (let k = 0; k < kc; k++) store<f32>(dst + (<usize>(i * kc + k) << 2), load<f32>(src + (<usize>(i + k * csa) << 2)));
  }
}

// Merging the two directions of a bidirectional output, as Keras'
// Bidirectional merge_mode: concat needs no kernel (it is the layout), sum,
// mean and product reduce M rows of 2H (forward then reverse) to M rows of H.

import { addMul, at, axpy, fill, scale } from "../kernels/elementwise";

/** mode 1 sum, 2 mean, 3 product. */
export function mergeForward(M: i32, H: i32, mode: i32, x: usize, y: usize): void {
  for (let i = 0; i < M; i++) {
    const f = at(x, i * 2 * H);
    const r = at(f, H);
    const o = at(y, i * H);
    if (mode == 3) {
      fill(H, o, 0);
      addMul(H, f, r, o);
      continue;
    }
    memory.copy(o, f, <usize>H << 2);
    axpy(H, r, o, 1);
    if (mode == 2) scale(H, o, 0.5);
  }
}

/** Gradient of mergeForward: dx (M×2H) from dy (M×H); the product needs x. */
export function mergeBackward(M: i32, H: i32, mode: i32, x: usize, dy: usize, dx: usize): void {
  const k: f32 = mode == 2 ? 0.5 : 1;
  for (let i = 0; i < M; i++) {
    const d = at(dy, i * H);
    const df = at(dx, i * 2 * H);
    const dr = at(df, H);
    fill(2 * H, df, 0);
    if (mode == 3) {
      const f = at(x, i * 2 * H);
      addMul(H, d, at(f, H), df);
      addMul(H, d, f, dr);
    } else {
      axpy(H, d, df, k);
      axpy(H, d, dr, k);
    }
  }
}

// Merging the two directions of a bidirectional output, as Keras'
// Bidirectional merge_mode: concat needs no kernel (it is the layout), sum,
// mean and product reduce M rows of 2H (forward then reverse) to M rows of H.

import { addMul, at, axpy, fill, scale } from "../kernels/elementwise";

/** mode 1 sum, 2 mean, 3 product. */
export function mergeForward(mode: i32, M: i32, H: i32, x: usize, y: usize): void {
  for (let i = 0; i < M; i++) {
    const f = at(x, i * 2 * H);
    const r = at(f, H);
    const o = at(y, i * H);
    if (mode == 3) {
      fill(o, H, 0);
      addMul(H, f, r, o);
      continue;
    }
    memory.copy(o, f, <usize>H << 2);
    axpy(H, 1, r, o);
    if (mode == 2) scale(o, H, 0.5);
  }
}

/** Gradient of mergeForward: dx (M×2H) from dy (M×H); the product needs x. */
export function mergeBackward(mode: i32, M: i32, H: i32, x: usize, dy: usize, dx: usize): void {
  const k: f32 = mode == 2 ? 0.5 : 1;
  for (let i = 0; i < M; i++) {
    const d = at(dy, i * H);
    const df = at(dx, i * 2 * H);
    const dr = at(df, H);
    fill(df, 2 * H, 0);
    if (mode == 3) {
      const f = at(x, i * 2 * H);
      addMul(H, d, at(f, H), df);
      addMul(H, d, f, dr);
    } else {
      axpy(H, k, d, df);
      axpy(H, k, d, dr);
    }
  }
}

// Pooling over time for many-to-one models: the mean or the maximum of each
// sequence's real steps (x is T×B rows of W floats, time-major; lengths i32[B]
// or null). The last step needs no kernel: it is the recurrent layer's hN.

import { at, axpy, fill, scale } from "../kernels/elementwise";
import { isActive } from "../cells/sequence";

@inline function lengthOf(lengths: usize, b: i32, T: i32): i32 {
  return lengths == 0 ? T : load<i32>(lengths + (<usize>b << 2));
}

/** out (B×W) = mean over each sequence's steps. */
export function poolMeanForward(T: i32, B: i32, W: i32, x: usize, lengths: usize, out: usize): void {
  fill(B * W, out, 0);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) if (isActive(lengths, b, t)) axpy(W, at(x, (t * B + b) * W), at(out, b * W), 1);
  }
  for (let b = 0; b < B; b++) scale(W, at(out, b * W), f32(1) / <f32>lengthOf(lengths, b, T));
}

/** dx (T×B×W) = gout / length at real steps, 0 at padding. */
export function poolMeanBackward(T: i32, B: i32, W: i32, gout: usize, lengths: usize, dx: usize): void {
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const d = at(dx, (t * B + b) * W);
      fill(W, d, 0);
      if (isActive(lengths, b, t)) axpy(W, at(gout, b * W), d, f32(1) / <f32>lengthOf(lengths, b, T));
    }
  }
}

/** out (B×W) = max over each sequence's steps; argmax (i32, B×W) records the step. */
export function poolMaxForward(T: i32, B: i32, W: i32, x: usize, lengths: usize, out: usize, argmax: usize): void {
  memory.copy(out, x, <usize>(B * W) << 2);
  memory.fill(argmax, 0, <usize>(B * W) << 2);
  for (let t = 1; t < T; t++) {
    for (let b = 0; b < B; b++) {
      if (!isActive(lengths, b, t)) continue;
      const row = at(x, (t * B + b) * W);
      for (let j = 0; j < W; j++) {
        const v = load<f32>(at(row, j));
        const o = at(out, b * W + j);
        if (v > load<f32>(o)) {
          store<f32>(o, v);
          store<i32>(argmax + (<usize>(b * W + j) << 2), t);
        }
      }
    }
  }
}

/** dx (T×B×W) = gout routed to each maximum's step, 0 elsewhere. */
export function poolMaxBackward(T: i32, B: i32, W: i32, gout: usize, argmax: usize, dx: usize): void {
  fill(T * B * W, dx, 0);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < W; j++) {
      const t = load<i32>(argmax + (<usize>(b * W + j) << 2));
      store<f32>(at(dx, (t * B + b) * W + j), load<f32>(at(gout, b * W + j)));
    }
  }
}

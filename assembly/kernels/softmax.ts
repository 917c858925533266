// Row-wise softmax and softmax cross-entropy, numerically stable (the row
// maximum is subtracted before exponentiating).

import { at, scale } from "./elementwise";
import { expf, expv } from "./math";

/** Largest value in a row of n floats. */
function rowMax(x: usize, n: i32): f32 {
  let m: f32 = -Infinity;
  let j = 0;
  if (ASC_FEATURE_SIMD && n >= 4) {
    let mv = v128.load(x);
    for (j = 4; j + 4 <= n; j += 4) mv = f32x4.max(mv, v128.load(at(x, j)));
    m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
  }
  for (; j < n; j++) m = max(m, load<f32>(at(x, j)));
  return m;
}

/** y = exp(x − m) over a row; returns the sum of y. */
function rowExp(x: usize, y: usize, n: i32, m: f32): f32 {
  let s: f32 = 0;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const mv = f32x4.splat(m);
    let sv = f32x4.splat(0);
    for (; j + 4 <= n; j += 4) {
      const e = expv(f32x4.sub(v128.load(at(x, j)), mv));
      v128.store(at(y, j), e);
      sv = f32x4.add(sv, e);
    }
    s = f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1) + f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3);
  }
  return s + rowExpScalar(x, y, n, m, j);
}
export function rowExpScalar(x: usize, y: usize, n: i32, m: f32, from: i32): f32 {
  let s: f32 = 0;
  for (let j = from; j < n; j++) {
    const e = expf(load<f32>(at(x, j)) - m);
    store<f32>(at(y, j), e);
    s += e;
  }
  return s;
}

/** y[i, :] = softmax(x[i, :]) for M rows of N values (y may alias x). */
export function softmaxRows(M: i32, N: i32, x: usize, ldx: i32, y: usize, ldy: i32): void {
  for (let i = 0; i < M; i++) {
    const xr = at(x, i * ldx);
    const yr = at(y, i * ldy);
    const s = rowExp(xr, yr, N, rowMax(xr, N));
    scale(N, yr, f32(1) / s);
  }
}

/**
 * Softmax cross-entropy over M rows of N logits with integer targets (i32).
 * Rows whose target equals ignoreIndex contribute nothing. Returns the summed
 * loss; when grad is non-null writes gscale·(softmax − onehot) there (zero
 * rows for ignored targets), which is the gradient of gscale·loss.
 */
export function softmaxCrossEntropy(
  M: i32, N: i32, logits: usize, ld: i32, targets: usize, grad: usize, ldg: i32, ignoreIndex: i32, gscale: f32,
): f64 {
  let loss: f64 = 0;
  for (let i = 0; i < M; i++) {
    const x = at(logits, i * ld);
    const target = load<i32>(targets + (<usize>i << 2));
    const g: usize = grad == 0 ? 0 : at(grad, i * ldg);
    if (target == ignoreIndex) {
      if (g != 0) memory.fill(g, 0, <usize>N << 2);
      continue;
    }
    const m = rowMax(x, N);
    // Without a gradient buffer the exponentials are not needed, only their sum.
    let s: f32 = 0;
    if (g != 0) s = rowExp(x, g, N, m);
    else for (let j = 0; j < N; j++) s += expf(load<f32>(at(x, j)) - m);
    loss += <f64>(Mathf.log(s) + m - load<f32>(at(x, target)));
    if (g != 0) {
      scale(N, g, gscale / s);
      store<f32>(at(g, target), load<f32>(at(g, target)) - gscale);
    }
  }
  return loss;
}

// Array kernels over raw pointers. Each SIMD kernel runs its vector body and
// then hands the rest to its scalar twin (`…Scalar(…, from)`); that twin run
// from 0 is the reference the specs compare against and the whole of the
// scalar build.

import { tanhf, tanhv } from "./math";

@inline export function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

export function fill(n: i32, p: usize, v: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const x = f32x4.splat(v);
    for (; i + 4 <= n; i += 4) v128.store(at(p, i), x);
  }
  fillScalar(p, n, v, i);
}
export function fillScalar(p: usize, n: i32, v: f32, from: i32): void {
  for (let i = from; i < n; i++) store<f32>(at(p, i), v);
}

/** y += a·x */
export function axpy(n: i32, x: usize, y: usize, a: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const av = f32x4.splat(a);
    for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.add(v128.load(at(y, i)), f32x4.mul(av, v128.load(at(x, i)))));
  }
  axpyScalar(n, a, x, y, i);
}
export function axpyScalar(n: i32, a: f32, x: usize, y: usize, from: i32): void {
  for (let i = from; i < n; i++) store<f32>(at(y, i), load<f32>(at(y, i)) + a * load<f32>(at(x, i)));
}

/** y = a + b */
export function add(n: i32, a: usize, b: usize, y: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.add(v128.load(at(a, i)), v128.load(at(b, i))));
  }
  addScalar(n, a, b, y, i);
}
export function addScalar(n: i32, a: usize, b: usize, y: usize, from: i32): void {
  for (let i = from; i < n; i++) store<f32>(at(y, i), load<f32>(at(a, i)) + load<f32>(at(b, i)));
}

export function scale(n: i32, p: usize, s: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = f32x4.splat(s);
    for (; i + 4 <= n; i += 4) v128.store(at(p, i), f32x4.mul(v128.load(at(p, i)), sv));
  }
  scaleScalar(p, n, s, i);
}
export function scaleScalar(p: usize, n: i32, s: f32, from: i32): void {
  for (let i = from; i < n; i++) store<f32>(at(p, i), load<f32>(at(p, i)) * s);
}

export function clamp(n: i32, p: usize, lo: f32, hi: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const l = f32x4.splat(lo);
    const h = f32x4.splat(hi);
    for (; i + 4 <= n; i += 4) v128.store(at(p, i), f32x4.min(h, f32x4.max(l, v128.load(at(p, i)))));
  }
  clampScalar(p, n, lo, hi, i);
}
export function clampScalar(p: usize, n: i32, lo: f32, hi: f32, from: i32): void {
  for (let i = from; i < n; i++) store<f32>(at(p, i), min(hi, max(lo, load<f32>(at(p, i)))));
}

/** Every row of C (M×N, leading dimension ldc) set to b1 + b2; a null pointer is a zero bias. */
export function fillRows(M: i32, N: i32, C: usize, ldc: i32, b1: usize, b2: usize): void {
  for (let i = 0; i < M; i++) {
    const c = at(C, i * ldc);
    if (b1 == 0 && b2 == 0) fill(N, c, 0);
    else if (b2 == 0) memory.copy(c, b1, <usize>N << 2);
    else if (b1 == 0) memory.copy(c, b2, <usize>N << 2);
    else add(N, b1, b2, c);
  }
}

/** out[j] += Σ_i A[i, j] over M rows of leading dimension lda. */
export function colSums(M: i32, N: i32, A: usize, lda: i32, out: usize): void {
  for (let i = 0; i < M; i++) add(N, out, at(A, i * lda), out);
}

/** Number of NaN or ±Inf values among n floats. */
export function countNonFinite(n: i32, p: usize): i32 {
  let count = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = i32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      // x − x is 0 for a finite x and NaN for NaN and ±Inf, the lanes where it differs from
      // itself (−1); no constants, which V8 would rebuild at every iteration.
      const x = v128.load(at(p, i));
      const d = f32x4.sub(x, x);
      acc = i32x4.sub(acc, f32x4.ne(d, d));
    }
    count = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  }
  return count + countNonFiniteScalar(p, n, i);
}
export function countNonFiniteScalar(p: usize, n: i32, from: i32): i32 {
  let count = 0;
  for (let i = from; i < n; i++) if (!(Mathf.abs(load<f32>(at(p, i))) < Infinity)) count++;
  return count;
}

/** Σ x², accumulated in float64 across float32 blocks of at most 1024 values. */
export function sumSquares(n: i32, p: usize): f64 {
  let total: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    while (i + 4 <= n) {
      const end = min(n, i + 1024);
      let acc = f32x4.splat(0);
      for (; i + 4 <= end; i += 4) {
        const x = v128.load(at(p, i));
        acc = f32x4.add(acc, f32x4.mul(x, x));
      }
      total += <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
    }
  }
  return total + sumSquaresScalar(p, n, i);
}
export function sumSquaresScalar(p: usize, n: i32, from: i32): f64 {
  let total: f64 = 0;
  for (let i = from; i < n; i++) {
    const x = <f64>load<f32>(at(p, i));
    total += x * x;
  }
  return total;
}

export function tanh(n: i32, x: usize, y: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) for (; i + 4 <= n; i += 4) v128.store(at(y, i), tanhv(v128.load(at(x, i))));
  tanhScalar(x, y, n, i);
}
export function tanhScalar(x: usize, y: usize, n: i32, from: i32): void {
  for (let i = from; i < n; i++) store<f32>(at(y, i), tanhf(load<f32>(at(x, i))));
}

/** y = a ⊙ b */
export function mul(n: i32, a: usize, b: usize, y: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.mul(v128.load(at(a, i)), v128.load(at(b, i))));
  }
  mulScalar(n, a, b, y, i);
}
export function mulScalar(n: i32, a: usize, b: usize, y: usize, from: i32): void {
  for (let i = from; i < n; i++) store<f32>(at(y, i), load<f32>(at(a, i)) * load<f32>(at(b, i)));
}

/** y += a ⊙ b */
export function addMul(n: i32, a: usize, b: usize, y: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      v128.store(at(y, i), f32x4.add(v128.load(at(y, i)), f32x4.mul(v128.load(at(a, i)), v128.load(at(b, i)))));
    }
  }
  addMulScalar(n, a, b, y, i);
}
export function addMulScalar(n: i32, a: usize, b: usize, y: usize, from: i32): void {
  for (let i = from; i < n; i++) store<f32>(at(y, i), load<f32>(at(y, i)) + load<f32>(at(a, i)) * load<f32>(at(b, i)));
}

/** dx = dy ⊙ (1 − y²), the derivative of tanh through its output y. */
export function tanhBackward(n: i32, y: usize, dy: usize, dx: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const one = f32x4.splat(1);
    for (; i + 4 <= n; i += 4) {
      const yv = v128.load(at(y, i));
      v128.store(at(dx, i), f32x4.mul(v128.load(at(dy, i)), f32x4.sub(one, f32x4.mul(yv, yv))));
    }
  }
  tanhBackwardScalar(n, y, dy, dx, i);
}
export function tanhBackwardScalar(n: i32, y: usize, dy: usize, dx: usize, from: i32): void {
  for (let i = from; i < n; i++) {
    const yv = load<f32>(at(y, i));
    store<f32>(at(dx, i), load<f32>(at(dy, i)) * (f32(1) - yv * yv));
  }
}

/** Copies M rows of N floats between strided layouts (concatenation, batch-first transposes). */
export function copyRows(M: i32, N: i32, src: usize, lds: i32, dst: usize, ldd: i32): void {
  for (let i = 0; i < M; i++) memory.copy(at(dst, i * ldd), at(src, i * lds), <usize>N << 2);
}

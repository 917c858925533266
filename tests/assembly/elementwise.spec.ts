import {
  add, addMul, addMulScalar, addScalar, mul, mulScalar, tanhBackward, tanhBackwardScalar, axpy, axpyScalar, clamp, clampScalar, colSums, countNonFinite, countNonFiniteScalar, fill, fillRows,
  fillScalar, scale, scaleScalar, sumSquares, sumSquaresScalar, tanh, tanhScalar,
} from "../../assembly/kernels/elementwise";
import { alloc, copyOf, get, maxAbsDiff, randomArray, seed, set } from "./helpers";

// Each SIMD kernel against its scalar twin run from 0, on sizes that are not
// multiples of 4 (and on 0 and 1), so vector bodies and tails both run.
const SIZES: i32[] = [0, 1, 3, 4, 7, 13, 64, 1027];

describe("array kernels: SIMD vs scalar reference", () => {
  it("fill, scale, clamp, axpy, add", () => {
    seed(4);
    for (let s = 0; s < SIZES.length; s++) {
      const n = SIZES[s];
      const x = randomArray(n, 3);
      const y = randomArray(n, 3);
      let a = alloc(n), b = alloc(n);
      fill(n, a, 1.5);
      fillScalar(b, n, 1.5, 0);
      expect(maxAbsDiff(a, b, n)).toBe(0.0);
      a = copyOf(x, n); b = copyOf(x, n);
      scale(n, a, -0.7);
      scaleScalar(b, n, -0.7, 0);
      expect(maxAbsDiff(a, b, n)).toBe(0.0);
      a = copyOf(x, n); b = copyOf(x, n);
      clamp(n, a, -1, 0.5);
      clampScalar(b, n, -1, 0.5, 0);
      expect(maxAbsDiff(a, b, n)).toBe(0.0);
      for (let i = 0; i < n; i++) expect(get(a, i) >= -1 && get(a, i) <= 0.5).toBe(true);
      a = copyOf(y, n); b = copyOf(y, n);
      axpy(n, x, a, 0.3);
      axpyScalar(n, 0.3, x, b, 0);
      expect(maxAbsDiff(a, b, n)).toBe(0.0);
      a = alloc(n); b = alloc(n);
      add(n, x, y, a);
      addScalar(n, x, y, b, 0);
      expect(maxAbsDiff(a, b, n)).toBe(0.0);
    }
  });

  it("mul, addMul, tanhBackward", () => {
    seed(20);
    for (let s = 0; s < SIZES.length; s++) {
      const n = SIZES[s];
      const x = randomArray(n, 2), y = randomArray(n, 2), z = randomArray(n);
      let a = alloc(n), b = alloc(n);
      mul(n, x, y, a);
      mulScalar(n, x, y, b, 0);
      expect(maxAbsDiff(a, b, n)).toBe(0.0);
      a = copyOf(z, n); b = copyOf(z, n);
      addMul(n, x, y, a);
      addMulScalar(n, x, y, b, 0);
      expect(maxAbsDiff(a, b, n)).toBe(0.0);
      tanhBackward(n, x, y, a);
      tanhBackwardScalar(n, x, y, b, 0);
      expect(maxAbsDiff(a, b, n)).toBe(0.0);
    }
  });

  it("tanh", () => {
    seed(5);
    for (let s = 0; s < SIZES.length; s++) {
      const n = SIZES[s];
      const x = randomArray(n, 8);
      const a = alloc(n), b = alloc(n);
      tanh(n, x, a);
      tanhScalar(x, b, n, 0);
      expect(maxAbsDiff(a, b, n)).toBeLessThan(1e-7);
    }
  });

  it("countNonFinite finds NaN and ±Inf in body and tail", () => {
    const n = 11;
    const x = randomArray(n);
    expect(countNonFinite(n, x)).toBe(0);
    set(x, 1, NaN);
    set(x, 6, Infinity);
    set(x, 10, -Infinity);
    expect(countNonFinite(n, x)).toBe(3);
    expect(countNonFiniteScalar(x, n, 0)).toBe(3);
  });

  it("sumSquares matches the scalar reference in float64", () => {
    seed(6);
    for (let s = 0; s < SIZES.length; s++) {
      const n = SIZES[s];
      const x = randomArray(n, 2);
      const a = sumSquares(n, x);
      const b = sumSquaresScalar(x, n, 0);
      expect(Math.abs(a - b)).toBeLessThan(1e-5 * (1 + b));
    }
  });

  it("fillRows broadcasts b1 + b2 and colSums adds column sums", () => {
    seed(7);
    const M = 5, N = 7, ldc = 9;
    const b1 = randomArray(N), b2 = randomArray(N);
    const C = randomArray(M * ldc);
    fillRows(M, N, C, ldc, b1, b2);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) expect(get(C, i * ldc + j)).toBe(get(b1, j) + get(b2, j));
    fillRows(M, N, C, ldc, 0, b2);
    expect(get(C, 3 * ldc + 4)).toBe(get(b2, 4));
    fillRows(M, N, C, ldc, 0, 0);
    expect(get(C, 4 * ldc + 6)).toBe(<f32>0);
    const A = randomArray(M * ldc);
    const out = randomArray(N);
    const before = copyOf(out, N);
    colSums(M, N, A, ldc, out);
    for (let j = 0; j < N; j++) {
      let s: f64 = get(before, j);
      for (let i = 0; i < M; i++) s += get(A, i * ldc + j);
      expect(Math.abs(<f64>get(out, j) - s)).toBeLessThan(1e-5);
    }
  });
});

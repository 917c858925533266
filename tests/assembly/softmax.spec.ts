import { rowExpScalar, softmaxCrossEntropy, softmaxRows } from "../../assembly/kernels/softmax";
import { alloc, get, randomArray, seed } from "./helpers";

describe("softmax", () => {
  it("rows match float64 and sum to one, also with huge logits", () => {
    seed(8);
    const M = 4, N = 13, ld = 15;
    const x = randomArray(M * ld, 5);
    store<f32>(x + 4 * (2 * ld + 3), 1000); // would overflow a naive exp
    const y = alloc(M * ld);
    softmaxRows(M, N, x, ld, y, ld);
    for (let i = 0; i < M; i++) {
      let m: f64 = -Infinity;
      for (let j = 0; j < N; j++) m = Math.max(m, <f64>get(x, i * ld + j));
      let s: f64 = 0;
      for (let j = 0; j < N; j++) s += Math.exp(<f64>get(x, i * ld + j) - m);
      let total: f64 = 0;
      for (let j = 0; j < N; j++) {
        const exact = Math.exp(<f64>get(x, i * ld + j) - m) / s;
        expect(Math.abs(<f64>get(y, i * ld + j) - exact)).toBeLessThan(1e-6);
        total += get(y, i * ld + j);
      }
      expect(Math.abs(total - 1)).toBeLessThan(1e-5);
    }
  });

  it("the SIMD row exponent matches its scalar reference", () => {
    seed(9);
    const n = 11;
    const x = randomArray(n, 4);
    const a = alloc(n), b = alloc(n);
    softmaxRows(1, n, x, n, a, n);
    const s = rowExpScalar(x, b, n, 0, 0);
    for (let j = 0; j < n; j++) expect(Math.abs(<f64>get(a, j) - <f64>get(b, j) / <f64>s)).toBeLessThan(1e-6);
  });
});

describe("softmaxCrossEntropy", () => {
  it("returns Σ −log p[target] and the scaled gradient, skipping ignored rows", () => {
    seed(10);
    const M = 5, N = 7;
    const x = randomArray(M * N, 3);
    const targets = heap.alloc(M * 4);
    const tv: i32[] = [3, 0, -100, 6, 2];
    for (let i = 0; i < M; i++) store<i32>(targets + (<usize>i << 2), tv[i]);
    const g = randomArray(M * N);
    const loss = softmaxCrossEntropy(M, N, x, N, targets, g, N, -100, 0.25);
    let expected: f64 = 0;
    for (let i = 0; i < M; i++) {
      if (tv[i] == -100) {
        for (let j = 0; j < N; j++) expect(get(g, i * N + j)).toBe(<f32>0);
        continue;
      }
      let s: f64 = 0;
      for (let j = 0; j < N; j++) s += Math.exp(<f64>get(x, i * N + j));
      expected += Math.log(s) - <f64>get(x, i * N + tv[i]);
      for (let j = 0; j < N; j++) {
        const p = Math.exp(<f64>get(x, i * N + j)) / s;
        const want = 0.25 * (p - (j == tv[i] ? 1.0 : 0.0));
        expect(Math.abs(<f64>get(g, i * N + j) - want)).toBeLessThan(1e-6);
      }
    }
    expect(Math.abs(loss - expected)).toBeLessThan(1e-5);
    // without a gradient buffer the loss is the same
    expect(Math.abs(softmaxCrossEntropy(M, N, x, N, targets, 0, N, -100, 1) - expected)).toBeLessThan(1e-5);
  });
});

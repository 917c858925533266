import { gemmNN, gemmPacked, gemmTN, gemmTN2, nnWork, packB, packedSize, tnPairWork, tnWork } from "../../assembly/kernels/gemm";
import { alloc, copyOf, get, maxAbsDiff, randomArray, seed, set } from "./helpers";

/** float64 C0 + A·B with A (M×K) at strides (rsa, csa) and B (K×N) at (rsb, csb); also Σ|a||b| per element. */
function reference(M: i32, N: i32, K: i32, A: usize, rsa: i32, csa: i32, B: usize, rsb: i32, csb: i32, C0: usize, ldc: i32, out: usize, mag: usize): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s: f64 = get(C0, i * ldc + j);
      let m: f64 = Math.abs(s);
      for (let k = 0; k < K; k++) {
        const p = <f64>get(A, i * rsa + k * csa) * <f64>get(B, k * rsb + j * csb);
        s += p;
        m += Math.abs(p);
      }
      set(out, i * ldc + j, <f32>s);
      set(mag, i * ldc + j, <f32>m);
    }
  }
}

/** Worst |C − ref| / (Σ|a||b| + tiny) over the M×N block. */
function worstRelative(M: i32, N: i32, C: usize, ref: usize, mag: usize, ldc: i32): f64 {
  let worst: f64 = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      const e = Math.abs(<f64>get(C, i * ldc + j) - <f64>get(ref, i * ldc + j)) / (<f64>get(mag, i * ldc + j) + 1e-30);
      worst = Math.max(worst, e);
    }
  }
  return worst;
}

// Odd sizes: row tails (M % 4), column tails (N % 8), odd k, several k-blocks (K > 256) and row blocks (M > 64).
const SHAPES: i32[][] = [[1, 1, 1], [3, 5, 7], [4, 8, 1], [5, 9, 13], [7, 3, 2], [17, 33, 70], [64, 24, 300], [9, 17, 513], [130, 10, 3]];

describe("packB", () => {
  it("packs a K×N matrix and its transpose into the same zero-padded panels", () => {
    seed(1);
    const K = 7, N = 13;
    const B = randomArray(K * N);
    const Bt = alloc(K * N);
    for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) set(Bt, n * K + k, get(B, k * N + n));
    const p1 = alloc(packedSize(K, N));
    const p2 = alloc(packedSize(K, N));
    packB(K, N, B, N, 1, p1);
    packB(K, N, Bt, 1, K, p2);
    expect(maxAbsDiff(p1, p2, packedSize(K, N))).toBe(0.0);
    // panel 1 holds columns 8..12 then three zero columns
    expect(get(p1, K * 8 + 2 * 8 + 4)).toBe(get(B, 2 * N + 12));
    expect(get(p1, K * 8 + 2 * 8 + 5)).toBe(<f32>0);
  });
});

// The microkernels themselves are tested on every build by tests/unit/microkernels.test.ts; here, the blocking around them.
describe("gemmPacked, gemmNN, gemmTN", () => {
  it("match float64 for odd sizes and strides, over several k-blocks and row blocks, in a workspace of one k-block", () => {
    seed(2);
    for (let s = 0; s < SHAPES.length; s++) {
      const M = SHAPES[s][0], N = SHAPES[s][1], K = SHAPES[s][2];
      const ldc = N + 3;
      const C0 = randomArray(M * ldc);
      const ref = alloc(M * ldc);
      const mag = alloc(M * ldc);
      const B = randomArray(K * N);
      for (let transA = 0; transA < 2; transA++) {
        // A stored M×K (row-major) or K×M (its transpose)
        const A = randomArray(M * K);
        const rsa = transA ? 1 : K;
        const csa = transA ? M : 1;
        memory.copy(ref, C0, <usize>(M * ldc) << 2);
        reference(M, N, K, A, rsa, csa, B, N, 1, C0, ldc, ref, mag);
        // B packed whole, A read in place
        const Bp = alloc(packedSize(K, N));
        packB(K, N, B, N, 1, Bp);
        const c1 = copyOf(C0, M * ldc);
        gemmPacked(M, N, K, A, rsa, csa, Bp, c1, ldc);
        expect(worstRelative(M, N, c1, ref, mag, ldc)).toBeLessThan(1e-6);
        // B packed a k-block at a time; a transposed A copied to rows block by block
        const c2 = copyOf(C0, M * ldc);
        if (transA) gemmTN(M, N, K, A, M, B, N, c2, ldc, alloc(tnWork(K, N)));
        else gemmNN(M, N, K, A, K, B, N, c2, ldc, alloc(nnWork(K, N)));
        expect(worstRelative(M, N, c2, ref, mag, ldc)).toBeLessThan(1e-6);
        // the padding columns between N and ldc stay untouched
        for (let i = 0; i < M; i++) for (let j = N; j < ldc; j++) expect(get(c2, i * ldc + j)).toBe(get(C0, i * ldc + j));
      }
    }
  });
});

describe("gemmNN / gemmTN, and A·Bᵀ through packB", () => {
  it("compute C += A·B, A·Bᵀ and Aᵀ·B from row-major storage", () => {
    seed(3);
    const M = 6, N = 11, K = 9;
    const work = alloc(tnWork(K, N));
    const ref = alloc(M * N);
    const mag = alloc(M * N);
    // NN: A M×K, B K×N
    let A = randomArray(M * K), B = randomArray(K * N), C0 = randomArray(M * N);
    let C = copyOf(C0, M * N);
    gemmNN(M, N, K, A, K, B, N, C, N, work);
    reference(M, N, K, A, K, 1, B, N, 1, C0, N, ref, mag);
    expect(worstRelative(M, N, C, ref, mag, N)).toBeLessThan(1e-6);
    // NT: B stored N×K
    B = randomArray(N * K);
    C = copyOf(C0, M * N);
    packB(K, N, B, 1, K, work);
    gemmPacked(M, N, K, A, K, 1, work, C, N);
    reference(M, N, K, A, K, 1, B, 1, K, C0, N, ref, mag);
    expect(worstRelative(M, N, C, ref, mag, N)).toBeLessThan(1e-6);
    // TN: A stored K×M
    A = randomArray(K * M);
    B = randomArray(K * N);
    C = copyOf(C0, M * N);
    gemmTN(M, N, K, A, M, B, N, C, N, work);
    reference(M, N, K, A, 1, M, B, N, 1, C0, N, ref, mag);
    expect(worstRelative(M, N, C, ref, mag, N)).toBeLessThan(1e-6);
  });
});

describe("gemmTN2", () => {
  it("gives both weight gradients exactly as two gemmTN calls, over several k-blocks and row blocks", () => {
    seed(4);
    const M = 70, K = 300, N1 = 13, N2 = 8;
    const A = randomArray(K * M);
    const B1 = randomArray(K * N1);
    const B2 = randomArray(K * N2);
    const C1 = randomArray(M * N1);
    const C2 = randomArray(M * N2);
    const d1 = copyOf(C1, M * N1);
    const d2 = copyOf(C2, M * N2);
    gemmTN2(M, K, A, M, N1, B1, N1, C1, N1, N2, B2, N2, C2, N2, alloc(tnPairWork(K, N1, N2)));
    const work = alloc(tnWork(K, N1));
    gemmTN(M, N1, K, A, M, B1, N1, d1, N1, work);
    gemmTN(M, N2, K, A, M, B2, N2, d2, N2, work);
    expect(maxAbsDiff(C1, d1, M * N1)).toBe(0.0);
    expect(maxAbsDiff(C2, d2, M * N2)).toBe(0.0);
  });
});


import {
  lstmRowBackward, lstmRowBackwardScalar, lstmRowForward, lstmRowForwardScalar,
} from "../../assembly/cells/lstm";
import {
  gruRowBackward, gruRowBackwardCandidate, gruRowBackwardCandidateScalar, gruRowBackwardReset, gruRowBackwardResetScalar,
  gruRowBackwardScalar, gruRowCandidate, gruRowCandidateScalar, gruRowForward, gruRowForwardScalar, gruRowGates,
  gruRowGatesScalar,
} from "../../assembly/cells/gru";
import { rnnRowBackward, rnnRowBackwardScalar, rnnRowForward, rnnRowForwardScalar } from "../../assembly/cells/rnn";
import { sigmoidf } from "../../assembly/kernels/math";
import { alloc, copyOf, maxMixedDiff, randomArray, seed } from "./helpers";

// The fused per-row gate kernels: SIMD body + scalar tail against the scalar
// reference, for widths with and without a tail. Each output buffer of the
// SIMD run is compared with the reference run's.
const WIDTHS: i32[] = [1, 3, 4, 6, 9, 33];
const TOL: f64 = 1e-6;

/** n floats in (0, 1): activated gates. */
function gatesArray(n: i32): usize {
  const p = randomArray(n, 4);
  for (let i = 0; i < n; i++) store<f32>(p + (<usize>i << 2), sigmoidf(load<f32>(p + (<usize>i << 2))));
  return p;
}

describe("LSTM rows", () => {
  it("forward: gates, states and caches match the scalar reference", () => {
    seed(11);
    for (let w = 0; w < WIDTHS.length; w++) {
      const H = WIDTHS[w];
      const g = randomArray(4 * H, 3), c = randomArray(H);
      const g1 = copyOf(g, 4 * H), c1 = copyOf(c, H), h1 = alloc(H), cp1 = alloc(H), tc1 = alloc(H), o1 = alloc(H);
      const g2 = copyOf(g, 4 * H), c2 = copyOf(c, H), h2 = alloc(H), cp2 = alloc(H), tc2 = alloc(H), o2 = alloc(H);
      lstmRowForward(H, g1, c1, h1, cp1, tc1, o1);
      lstmRowForwardScalar(H, g2, c2, h2, cp2, tc2, o2, 0);
      expect(maxMixedDiff(g1, g2, 4 * H)).toBeLessThan(TOL);
      expect(maxMixedDiff(c1, c2, H)).toBeLessThan(TOL);
      expect(maxMixedDiff(h1, h2, H)).toBeLessThan(TOL);
      expect(maxMixedDiff(o1, h1, H)).toBe(0.0);
      expect(maxMixedDiff(cp1, c, H)).toBe(0.0);
      expect(maxMixedDiff(tc1, tc2, H)).toBeLessThan(TOL);
    }
  });

  it("backward: gate gradients and carried dc, dh match the scalar reference", () => {
    seed(12);
    for (let w = 0; w < WIDTHS.length; w++) {
      const H = WIDTHS[w];
      const g = gatesArray(4 * H), cp = randomArray(H), tc = randomArray(H, 0.9), dh = randomArray(H), dc = randomArray(H);
      const dh1 = copyOf(dh, H), dc1 = copyOf(dc, H), dg1 = alloc(4 * H);
      const dh2 = copyOf(dh, H), dc2 = copyOf(dc, H), dg2 = alloc(4 * H);
      lstmRowBackward(H, dh1, dc1, g, cp, tc, dg1);
      lstmRowBackwardScalar(H, dh2, dc2, g, cp, tc, dg2, 0);
      expect(maxMixedDiff(dg1, dg2, 4 * H)).toBeLessThan(TOL);
      expect(maxMixedDiff(dc1, dc2, H)).toBeLessThan(TOL);
      expect(maxMixedDiff(dh1, dh2, H)).toBe(0.0);
    }
  });
});

describe("GRU rows", () => {
  it("reset-after forward and backward match the scalar reference", () => {
    seed(13);
    for (let w = 0; w < WIDTHS.length; w++) {
      const H = WIDTHS[w];
      const g = randomArray(3 * H, 3), hw = randomArray(3 * H, 2), h = randomArray(H);
      const g1 = copyOf(g, 3 * H), h1 = copyOf(h, H), a1 = alloc(H), o1 = alloc(H);
      const g2 = copyOf(g, 3 * H), h2 = copyOf(h, H), a2 = alloc(H), o2 = alloc(H);
      gruRowForward(H, g1, hw, h1, a1, o1);
      gruRowForwardScalar(H, g2, hw, h2, a2, o2, 0);
      expect(maxMixedDiff(g1, g2, 3 * H)).toBeLessThan(TOL);
      expect(maxMixedDiff(h1, h2, H)).toBeLessThan(TOL);
      expect(maxMixedDiff(a1, a2, H)).toBe(0.0);
      expect(maxMixedDiff(o1, h1, H)).toBe(0.0);

      const ga = gatesArray(3 * H), hp = randomArray(H), aux = randomArray(H), dh = randomArray(H);
      const dh1 = copyOf(dh, H), dx1 = alloc(3 * H), dgh1 = alloc(3 * H);
      const dh2 = copyOf(dh, H), dx2 = alloc(3 * H), dgh2 = alloc(3 * H);
      gruRowBackward(H, dh1, ga, hp, aux, dx1, dgh1);
      gruRowBackwardScalar(H, dh2, ga, hp, aux, dx2, dgh2, 0);
      expect(maxMixedDiff(dx1, dx2, 3 * H)).toBeLessThan(TOL);
      expect(maxMixedDiff(dgh1, dgh2, 3 * H)).toBeLessThan(TOL);
      expect(maxMixedDiff(dh1, dh2, H)).toBeLessThan(TOL);
    }
  });

  it("reset-before halves (gates, candidate and their backward) match the scalar reference", () => {
    seed(14);
    for (let w = 0; w < WIDTHS.length; w++) {
      const H = WIDTHS[w];
      const g = randomArray(3 * H, 3), hw = randomArray(3 * H, 2), h = randomArray(H);
      const g1 = copyOf(g, 3 * H), a1 = alloc(H), h1 = copyOf(h, H), o1 = alloc(H);
      const g2 = copyOf(g, 3 * H), a2 = alloc(H), h2 = copyOf(h, H), o2 = alloc(H);
      gruRowGates(H, g1, hw, h1, a1);
      gruRowGatesScalar(H, g2, hw, h2, a2, 0);
      expect(maxMixedDiff(g1, g2, 3 * H)).toBeLessThan(TOL);
      expect(maxMixedDiff(a1, a2, H)).toBeLessThan(TOL);
      gruRowCandidate(H, g1, hw, h1, o1);
      gruRowCandidateScalar(H, g2, hw, h2, o2, 0);
      expect(maxMixedDiff(g1, g2, 3 * H)).toBeLessThan(TOL);
      expect(maxMixedDiff(h1, h2, H)).toBeLessThan(TOL);

      const ga = gatesArray(3 * H), hp = randomArray(H), dh = randomArray(H), drh = randomArray(H);
      const dh1 = copyOf(dh, H), dg1 = alloc(3 * H);
      const dh2 = copyOf(dh, H), dg2 = alloc(3 * H);
      gruRowBackwardCandidate(H, dh1, ga, hp, dg1);
      gruRowBackwardCandidateScalar(H, dh2, ga, hp, dg2, 0);
      gruRowBackwardReset(H, dh1, ga, hp, drh, dg1);
      gruRowBackwardResetScalar(H, dh2, ga, hp, drh, dg2, 0);
      expect(maxMixedDiff(dg1, dg2, 3 * H)).toBeLessThan(TOL);
      expect(maxMixedDiff(dh1, dh2, H)).toBeLessThan(TOL);
    }
  });
});

describe("RNN rows", () => {
  it("tanh and relu forward and backward match the scalar reference", () => {
    seed(15);
    for (let relu = 0; relu < 2; relu++) {
      for (let w = 0; w < WIDTHS.length; w++) {
        const H = WIDTHS[w];
        const g = randomArray(H, 3);
        const g1 = copyOf(g, H), h1 = alloc(H), o1 = alloc(H);
        const g2 = copyOf(g, H), h2 = alloc(H), o2 = alloc(H);
        rnnRowForward(H, relu == 1, g1, h1, o1);
        rnnRowForwardScalar(H, relu == 1, g2, h2, o2, 0);
        expect(maxMixedDiff(h1, h2, H)).toBeLessThan(TOL);
        const dh = randomArray(H);
        const dh1 = copyOf(dh, H), dg1 = alloc(H);
        const dh2 = copyOf(dh, H), dg2 = alloc(H);
        rnnRowBackward(H, relu == 1, dh1, h1, dg1);
        rnnRowBackwardScalar(H, relu == 1, dh2, h1, dg2, 0);
        expect(maxMixedDiff(dg1, dg2, H)).toBeLessThan(TOL);
        expect(maxMixedDiff(dh1, dh2, H)).toBe(0.0);
      }
    }
  });
});

import { adagradStep, adagradStepScalar } from "../../assembly/optim/adagrad";
import { adamStep, adamStepScalar } from "../../assembly/optim/adam";
import { rmspropStep, rmspropStepScalar } from "../../assembly/optim/rmsprop";
import { sgdStep, sgdStepScalar } from "../../assembly/optim/sgd";
import { alloc, copyOf, get, maxMixedDiff, randomArray, seed } from "./helpers";

// Three steps of each optimizer on n = 13 (body and tail), SIMD vs scalar
// reference on copies of the same parameters and state.
const n = 13;
const TOL: f64 = 1e-6;

describe("optimizers: SIMD vs scalar reference", () => {
  it("sgd with momentum, dampening, nesterov and weight decay", () => {
    seed(16);
    const p = randomArray(n), g = randomArray(n);
    const p1 = copyOf(p, n), b1 = alloc(n), p2 = copyOf(p, n), b2 = alloc(n);
    for (let t = 0; t < 3; t++) {
      sgdStep(n, p1, g, b1, 0.1, 0.9, 0, 0.01, true, t == 0);
      sgdStepScalar(n, p2, g, b2, 0.1, 0.9, 0, 0.01, true, t == 0, 0);
    }
    expect(maxMixedDiff(p1, p2, n)).toBeLessThan(TOL);
    expect(maxMixedDiff(b1, b2, n)).toBeLessThan(TOL);
    // plain SGD is p − lr·g exactly
    const p3 = copyOf(p, n);
    sgdStep(n, p3, g, 0, 0.5, 0, 0, 0, false, true);
    for (let i = 0; i < n; i++) expect(get(p3, i)).toBe(get(p, i) - <f32>0.5 * get(g, i));
  });

  it("adam and adamw", () => {
    seed(17);
    for (let decoupled = 0; decoupled < 2; decoupled++) {
      const p = randomArray(n), g = randomArray(n);
      const p1 = copyOf(p, n), m1 = alloc(n), v1 = alloc(n);
      const p2 = copyOf(p, n), m2 = alloc(n), v2 = alloc(n);
      memory.fill(m1, 0, n * 4); memory.fill(v1, 0, n * 4); memory.fill(m2, 0, n * 4); memory.fill(v2, 0, n * 4);
      for (let t = 1; t <= 3; t++) {
        const bc1 = <f32>(1 - Math.pow(0.9, t)), bc2 = <f32>(1 - Math.pow(0.999, t));
        adamStep(n, p1, g, m1, v1, 0.01, 0.9, 0.999, 1e-8, 0.1, decoupled == 1, bc1, bc2);
        const stepSize = <f32>0.01 / bc1;
        adamStepScalar(n, p2, g, m2, v2, 0.9, 0.999, 1e-8, stepSize, <f32>1 / Mathf.sqrt(bc2), decoupled == 1 ? <f32>(1 - 0.01 * 0.1) : 1, decoupled == 1 ? 0 : 0.1, 0);
      }
      expect(maxMixedDiff(p1, p2, n)).toBeLessThan(TOL);
      expect(maxMixedDiff(v1, v2, n)).toBeLessThan(TOL);
    }
  });

  it("rmsprop, centered with momentum and plain", () => {
    seed(18);
    const p = randomArray(n), g = randomArray(n);
    const p1 = copyOf(p, n), s1 = alloc(n), a1 = alloc(n), b1 = alloc(n);
    const p2 = copyOf(p, n), s2 = alloc(n), a2 = alloc(n), b2 = alloc(n);
    for (let i = 0; i < n * 4; i += 4) {
      store<f32>(s1 + i, 0); store<f32>(a1 + i, 0); store<f32>(b1 + i, 0);
      store<f32>(s2 + i, 0); store<f32>(a2 + i, 0); store<f32>(b2 + i, 0);
    }
    for (let t = 0; t < 3; t++) {
      rmspropStep(n, p1, g, s1, a1, b1, 0.01, 0.99, 1e-8, 0.01, 0.9);
      rmspropStepScalar(n, p2, g, s2, a2, b2, 0.01, 0.99, 1e-8, 0.01, 0.9, 0);
      rmspropStep(n, p1, g, s1, 0, 0, 0.01, 0.99, 1e-8, 0, 0);
      rmspropStepScalar(n, p2, g, s2, 0, 0, 0.01, 0.99, 1e-8, 0, 0, 0);
    }
    expect(maxMixedDiff(p1, p2, n)).toBeLessThan(TOL);
    expect(maxMixedDiff(b1, b2, n)).toBeLessThan(TOL);
  });

  it("adagrad", () => {
    seed(19);
    const p = randomArray(n), g = randomArray(n);
    const p1 = copyOf(p, n), s1 = alloc(n), p2 = copyOf(p, n), s2 = alloc(n);
    memory.fill(s1, 0, n * 4);
    memory.fill(s2, 0, n * 4);
    for (let t = 0; t < 3; t++) {
      adagradStep(n, p1, g, s1, 0.1, 1e-10, 0.01);
      adagradStepScalar(n, p2, g, s2, 0.1, 1e-10, 0.01, 0);
    }
    expect(maxMixedDiff(p1, p2, n)).toBeLessThan(TOL);
    expect(maxMixedDiff(s1, s2, n)).toBeLessThan(TOL);
  });
});

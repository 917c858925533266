// A finite-difference harness for device-level layers: the loss is a fixed
// random linear functional of the layer's outputs; every parameter entry and
// every input entry is perturbed by ±ε (float64 twin) and the central
// difference compared with what backward() produced.

import { expect } from "vitest";
import type { DeviceTensor, Engine, Parameter } from "../../web/lib/index.ts";
import { Random } from "../../web/lib/util/random.ts";

export interface Input {
  name: string;
  ptr: number;
  size: number;
}

export interface Setup {
  params: Parameter[];
  inputs: Input[];
  forward(): DeviceTensor[];
  /** Runs backward with one gradient pointer per output; returns each input's gradient pointer (same order as inputs). */
  backward(gouts: number[]): number[];
}

const EPS = 1e-6;

export function gradcheck(engine: Engine, setup: Setup, seed = 1): { checked: number; mismatches: string[] } {
  const F = () => engine.heap.f;
  const rngWord = engine.rngState >> 2;
  const rngStart = engine.heap.i32[rngWord];
  const rng = new Random(seed);
  const run = () => {
    engine.heap.i32[rngWord] = rngStart; // same dropout masks at every evaluation
    return setup.forward();
  };
  const outs = run();
  const weights = outs.map((o) => Float64Array.from({ length: o.size }, () => rng.normal()));
  const loss = () => run().reduce((s, o, k) => s + o.data.reduce((a, v, i) => a + v * weights[k][i], 0), 0);
  const gouts = weights.map((w) => {
    const p = engine.arena.alloc(w.length * 4);
    F().set(w, p >> 2);
    return p;
  });
  for (const p of setup.params) engine.kernels.fill(p.size, p.grad, 0);
  run();
  const inputGrads = setup.backward(gouts).map((ptr, i) => F().slice(ptr >> 2, (ptr >> 2) + setup.inputs[i].size));
  const paramGrads = setup.params.map((p) => F().slice(p.grad >> 2, (p.grad >> 2) + p.size));

  const mismatches: string[] = [];
  let checked = 0;
  const probe = (what: string, ptr: number, size: number, analytic: ArrayLike<number>) => {
    for (let i = 0; i < size; i++) {
      const at = (ptr >> 2) + i;
      const v = F()[at];
      F()[at] = v + EPS;
      const up = loss();
      F()[at] = v - EPS;
      const down = loss();
      F()[at] = v;
      const num = (up - down) / (2 * EPS);
      checked++;
      if (!(Math.abs(num - analytic[i]) <= 1e-7 + 1e-6 * Math.abs(analytic[i]))) {
        mismatches.push(`${what}[${i}]: numeric ${num}, analytic ${analytic[i]}`);
      }
    }
  };
  setup.inputs.forEach((input, i) => probe(input.name, input.ptr, input.size, inputGrads[i]));
  setup.params.forEach((p, i) => probe(p.name, p.value, p.size, paramGrads[i]));
  return { checked, mismatches };
}

export function expectGradcheck(engine: Engine, setup: Setup, minChecked: number): void {
  const { checked, mismatches } = gradcheck(engine, setup);
  expect(mismatches.slice(0, 5)).toEqual([]);
  expect(checked).toBeGreaterThanOrEqual(minChecked);
}

/** Writes random values into fresh engine memory and returns the input. */
export function randomInput(engine: Engine, name: string, size: number, seed: number, scale = 1): Input {
  const rng = new Random(seed);
  const ptr = engine.arena.alloc(size * 4);
  engine.heap.f.set(Float64Array.from({ length: size }, () => rng.normal() * scale), ptr >> 2);
  return { name, ptr, size };
}

// Central finite differences against backward(), through the public layer
// API, on the JS twin in float64: every entry of x, h0, c0 and every weight,
// for each cell kind stacked two deep, bidirectional, with variable lengths.

import { describe, expect, it } from "vitest";
import { createEngine, type Recurrent, type RecurrentKind, type RecurrentOptions } from "../../web/lib/index.ts";
import { Random } from "../../web/lib/util/random.ts";
import { randn } from "../helpers/random.ts";

interface Config {
  name: string;
  kind: RecurrentKind;
  options: Omit<RecurrentOptions, "inputSize" | "hiddenSize">;
  lengths?: number[];
}

const I = 3, H = 4, T = 4, B = 3;
const stacked = { numLayers: 2, bidirectional: true };
const CONFIGS: Config[] = [
  { name: "rnn tanh", kind: "rnn", options: { ...stacked }, lengths: [4, 2, 3] },
  { name: "rnn relu", kind: "rnn", options: { ...stacked, nonlinearity: "relu" }, lengths: [1, 4, 3] },
  { name: "lstm", kind: "lstm", options: { ...stacked }, lengths: [4, 1, 2] },
  { name: "lstm batchFirst without bias", kind: "lstm", options: { ...stacked, batchFirst: true, bias: false }, lengths: [3, 4, 2] },
  { name: "gru (reset after)", kind: "gru", options: { ...stacked }, lengths: [2, 4, 1] },
  { name: "gru (Cho, reset before)", kind: "gru", options: { ...stacked, resetAfter: false }, lengths: [4, 3, 2] },
];

const EPS = 1e-6;
const close = (num: number, ana: number) => Math.abs(num - ana) <= 1e-7 + 1e-6 * Math.abs(ana);

describe.each(CONFIGS)("gradient check: $name", ({ kind, options, lengths }) => {
  it("backward matches central differences for inputs, states and every weight", async () => {
    const engine = await createEngine({ backend: "js", precision: "float64", seed: 3 });
    const layer: Recurrent = engine[kind]({ inputSize: I, hiddenSize: H, ...options });
    const rng = new Random(11);
    const D = 2, L = 2;
    const xShape = options.batchFirst ? [B, T, I] : [T, B, I];
    const sShape = [L * D, B, H];
    const x = randn(rng, T * B * I);
    const h0 = randn(rng, L * D * B * H, 0.5);
    const c0 = randn(rng, L * D * B * H, 0.5);
    const hasC = kind === "lstm";
    const wOut = randn(rng, T * B * D * H);
    const wH = randn(rng, L * D * B * H);
    const wC = randn(rng, L * D * B * H);

    const loss = () => {
      const f = layer.forward({ shape: xShape, data: x }, { h0: { shape: sShape, data: h0 }, c0: hasC ? { shape: sShape, data: c0 } : undefined, lengths });
      let s = 0;
      f.output.data.forEach((v, i) => (s += v * wOut[i]));
      f.hN.data.forEach((v, i) => (s += v * wH[i]));
      if (hasC) f.cN!.data.forEach((v, i) => (s += v * wC[i]));
      return s;
    };
    loss();
    const outShape = options.batchFirst ? [B, T, D * H] : [T, B, D * H];
    const g = layer.backward({
      gradOutput: { shape: outShape, data: wOut },
      gradHN: { shape: sShape, data: wH },
      gradCN: hasC ? { shape: sShape, data: wC } : undefined,
    });

    const mismatches: string[] = [];
    let checked = 0;
    const check = (what: string, values: { [i: number]: number; length: number }, analytic: ArrayLike<number>) => {
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        values[i] = v + EPS;
        const up = loss();
        values[i] = v - EPS;
        const down = loss();
        values[i] = v;
        const num = (up - down) / (2 * EPS);
        checked++;
        if (!close(num, analytic[i])) mismatches.push(`${what}[${i}]: numeric ${num}, analytic ${analytic[i]}`);
      }
    };
    check("x", x, g.gradX.data);
    check("h0", h0, g.gradH0.data);
    if (hasC) check("c0", c0, g.gradC0!.data);
    for (const p of layer.parameters()) {
      const view = engine.heap.f.subarray(p.value >> 2, (p.value >> 2) + p.size);
      check(p.name, view, g.grads[p.name].data);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    const weights = layer.parameters().reduce((n, p) => n + p.size, 0);
    expect(checked).toBe(x.length + h0.length + (hasC ? c0.length : 0) + weights);
  });
});

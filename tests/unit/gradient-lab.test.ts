// The vanishing-gradient lab: on the same task, ‖∂L/∂h_k‖ decays with the
// distance from the loss for a vanilla RNN and markedly less for an LSTM;
// truncated BPTT cuts the gradient off; W_hh's scale moves its largest
// singular value and the decay; a short dependency is learned.

import { describe, expect, it } from "vitest";
import { createEngine } from "../../web/lib/index.ts";
import { GradientLab, type LabConfig } from "../../web/lib/labs/gradient-lab.ts";

const lab = async (config: LabConfig) => new GradientLab(await createEngine({ backend: "wasm-simd", seed: 1 }), config);
/** How much of the gradient at the last step reaches the first: ‖∂L/∂h_0‖ / ‖∂L/∂h_{T−1}‖. */
const reach = (norms: number[]) => norms[0] / norms[norms.length - 1];

describe("the gradient lab", () => {
  it("the vanilla RNN's gradient vanishes over 30 steps; the LSTM's (forget bias 1) and the GRU's reach much further back", async () => {
    const rnn = (await lab({ cell: "rnn", T: 30 })).step();
    const lstm = (await lab({ cell: "lstm", T: 30, forgetBias: 1 })).step();
    const gru = (await lab({ cell: "gru", T: 30 })).step();
    expect(rnn.stepNorms).toHaveLength(30);
    expect(reach(rnn.stepNorms)).toBeLessThan(1e-6);
    expect(reach(lstm.stepNorms)).toBeGreaterThan(1000 * reach(rnn.stepNorms));
    expect(reach(gru.stepNorms)).toBeGreaterThan(10 * reach(rnn.stepNorms));
    // The decay is steady: each step back loses a share of the norm.
    for (let k = 5; k < 29; k++) expect(rnn.stepNorms[k]).toBeLessThan(rnn.stepNorms[k + 1]);
    // PyTorch's forget bias 0 loses far more of the LSTM's gradient than 1 does.
    const pytorch = (await lab({ cell: "lstm", T: 30, forgetBias: 0 })).step();
    expect(reach(lstm.stepNorms)).toBeGreaterThan(100 * reach(pytorch.stepNorms));
  });

  it("truncated BPTT leaves the steps before the window without gradient; clipping reports the norm before it", async () => {
    const s = (await lab({ cell: "gru", T: 20, tbptt: 5, clip: "norm", clipAt: 1e-3 })).step();
    expect(s.stepNorms.slice(0, 15).every((v) => v === 0)).toBe(true);
    expect(s.stepNorms.slice(15).every((v) => v > 0)).toBe(true);
    expect(s.gradNorm).toBeGreaterThan(1e-3);
  });

  it("a larger W_hh has a larger singular value and keeps more of the gradient; ReLU is an option of the RNN", async () => {
    const small = (await lab({ cell: "rnn", T: 20, whhScale: 1 })).step();
    const large = (await lab({ cell: "rnn", T: 20, whhScale: 3 })).step();
    // (measured after one Adam step, which moves each weight by about the learning rate)
    expect(Math.abs(large.sigmaMax / small.sigmaMax - 3)).toBeLessThan(0.05);
    expect(reach(large.stepNorms)).toBeGreaterThan(reach(small.stepNorms));
    const relu = (await lab({ cell: "rnn", T: 20, nonlinearity: "relu" })).step();
    expect(relu.stepNorms.every(Number.isFinite)).toBe(true);
  });

  it("with the page's defaults (T = 40, forget bias 1), the LSTM learns the dependency in 500 steps and the vanilla RNN does not", async () => {
    const accuracy = async (cell: "rnn" | "lstm") => {
      const l = await lab({ cell, T: 40 });
      const last: number[] = [];
      for (let i = 0; i < 500; i++) last.push(l.step().accuracy);
      return last.slice(-50).reduce((a, b) => a + b) / 50;
    };
    expect(await accuracy("lstm")).toBeGreaterThan(0.95);
    expect(await accuracy("rnn")).toBeLessThan(0.65);
  });

  it("learns a dependency 5 steps long", async () => {
    const l = await lab({ cell: "lstm", T: 5, forgetBias: 1, lr: 0.01 });
    let s = l.step();
    for (let i = 0; i < 150; i++) s = l.step();
    expect(s.loss).toBeLessThan(0.1);
    expect(s.accuracy).toBe(1);
  });
  it("follows one sequence step by step: the gates obey the cell's equations, the verdict is the head's, the gradient goes back every step, and nothing is learned", async () => {
    const l = await lab({ cell: "lstm", T: 8, hiddenSize: 4 });
    for (let i = 0; i < 50; i++) l.step();
    const sigma = l.sigmaMax();
    const tr = l.trace();
    expect(l.sigmaMax()).toBe(sigma);
    expect(tr.symbols).toHaveLength(8);
    expect(tr.symbols[0]).toBe(tr.label);
    expect(tr.symbols.slice(1).every((s) => s >= 2 && s < 6)).toBe(true);
    expect(tr.probabilities[0] + tr.probabilities[1]).toBeCloseTo(1, 6);
    expect(tr.loss).toBeCloseTo(-Math.log(tr.probabilities[tr.label]), 5);
    let c = [0, 0, 0, 0];
    for (const s of tr.steps) {
      expect(Object.keys(s).sort()).toEqual(["c", "f", "g", "h", "i", "o"]);
      // c_t = f ⊙ c_{t−1} + i ⊙ g and h_t = o ⊙ tanh(c_t), unit by unit.
      c = c.map((prev, j) => s.f[j] * prev + s.i[j] * s.g[j]);
      c.forEach((v, j) => expect(s.c[j]).toBeCloseTo(v, 5));
      s.h.forEach((v, j) => expect(v).toBeCloseTo(s.o[j] * Math.tanh(s.c[j]), 5));
      for (const g of ["i", "f", "o"]) expect(s[g].every((v) => v > 0 && v < 1)).toBe(true);
    }
    expect(tr.gradNorms).toHaveLength(8);
    tr.gradNorms.forEach((n, t) => expect(n).toBeCloseTo(Math.hypot(...tr.gradients[t]), 6));
    expect(tr.gradNorms.every((n) => n > 0)).toBe(true);
    // A GRU's trace has its own gates, and h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}.
    const gru = (await lab({ cell: "gru", T: 6, hiddenSize: 3 })).trace();
    let h = [0, 0, 0];
    for (const s of gru.steps) {
      expect(Object.keys(s).sort()).toEqual(["h", "n", "r", "z"]);
      h = h.map((prev, j) => (1 - s.z[j]) * s.n[j] + s.z[j] * prev);
      h.forEach((v, j) => expect(s.h[j]).toBeCloseTo(v, 5));
    }
  });
});

// Bad input is refused with a GatedError that names the problem, and nothing
// the caller had is changed: weights, gradients and pending state survive.

import { beforeEach, describe, expect, it } from "vitest";
import { createEngine, type Engine, GatedError, type Recurrent, tensor } from "../../web/lib/index.ts";
import { refuses } from "../helpers/refuses.ts";

const T = 3, B = 2, I = 4, H = 5;
const x = () => ({ shape: [T, B, I], data: new Float32Array(T * B * I).fill(0.1) });


async function refusesAsync(fn: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  await expect(fn()).rejects.toThrow(pattern);
  await expect(fn()).rejects.toBeInstanceOf(GatedError);
}

describe("engine options", () => {
  it("refuses unknown backends, float64 on Wasm, and impossible memory limits", async () => {
    await refusesAsync(() => createEngine({ backend: "cuda" as never }), /unknown backend "cuda"/);
    await refusesAsync(() => createEngine({ backend: "wasm-simd", precision: "float64" }), /float64.*needs backend "js"/);
    await refusesAsync(() => createEngine({ maxMemoryMB: 8192 }), /maxMemoryMB must be between/);
    await refusesAsync(() => createEngine({ initialMemoryMB: 64, maxMemoryMB: 32 }), /initialMemoryMB must be between 1 and maxMemoryMB/);
  });
});

describe("layer options", () => {
  let engine: Engine;
  beforeEach(async () => {
    engine = await createEngine({ backend: "wasm-simd" });
  });

  it("names the invalid option", () => {
    refuses(() => engine.lstm({ inputSize: 0, hiddenSize: 3 }), /inputSize must be a positive integer up to 1048576, got 0/);
    refuses(() => engine.gru({ inputSize: 2, hiddenSize: 2.5 }), /hiddenSize must be a positive integer up to 1048576, got 2.5/);
    refuses(() => engine.rnn({ inputSize: 2, hiddenSize: 2, numLayers: 0 }), /numLayers must be an integer from 1 to 64, got 0/);
    refuses(() => engine.lstm({ inputSize: 2, hiddenSize: 2, nonlinearity: "relu" }), /nonlinearity is an option of rnn layers only/);
    refuses(() => engine.rnn({ inputSize: 2, hiddenSize: 2, nonlinearity: "gelu" as never }), /nonlinearity must be "tanh" or "relu"/);
    refuses(() => engine.lstm({ inputSize: 2, hiddenSize: 2, resetAfter: true }), /resetAfter is an option of gru layers only/);
    refuses(() => engine.gru({ inputSize: 2, hiddenSize: 2, hiden: 3 } as never), /unknown options hiden/);
  });
});

describe("forward and backward input", () => {
  let engine: Engine;
  let lstm: Recurrent;
  beforeEach(async () => {
    engine = await createEngine({ backend: "wasm-simd", seed: 1 });
    lstm = engine.lstm({ inputSize: I, hiddenSize: H });
  });

  it("refuses inputs of the wrong rank, size or length", () => {
    refuses(() => lstm.forward({ shape: [T * B * I], data: new Float32Array(T * B * I) }), /x has shape \[24\]; expected \[T, B, I\] or \[T, I\]/);
    refuses(() => lstm.forward({ shape: [T, B, 3], data: new Float32Array(T * B * 3) }), /x has 3 features per step .* but inputSize is 4/);
    refuses(() => lstm.forward({ shape: [T, B, I], data: new Float32Array(5) }), /x has shape \[3, 2, 4\] \(24 values\) but 5 values/);
    refuses(() => lstm.forward({ shape: [0, B, I], data: new Float32Array(0) }), /at least one step/);
    refuses(() => lstm.forward([[[1, 2, 3, 4]], [[1, 2, 3]]]), /x is ragged: x\[1\]\[0\] should have 4 entries/);
    refuses(() => lstm.forward([[["a", 2, 3, 4]]] as never), /x\[0\]\[0\]\[0\] is "a", not a number/);
    refuses(() => lstm.forward("nope" as never), /x must be a tensor/);
  });

  it("refuses NaN and infinite inputs, states and weights", () => {
    const bad = x();
    bad.data[7] = NaN;
    bad.data[9] = Infinity;
    refuses(() => lstm.forward(bad), /x contains 2 NaN or infinite values/);
    refuses(() => lstm.forward(x(), { h0: { shape: [1, B, H], data: new Float32Array(B * H).fill(-Infinity) } }), /h0 contains 10 NaN/);
    const w = lstm.parameters()[1];
    engine.heap.f[(w.value >> 2) + 3] = NaN;
    refuses(() => lstm.forward(x()), /weight weight_hh_l0 contains 1 NaN or infinite values/);
  });

  it("refuses mis-shaped or misplaced states and bad lengths", () => {
    refuses(() => lstm.forward(x(), { h0: { shape: [1, 3, H], data: new Float32Array(3 * H) } }), /h0 has shape \[1, 3, 5\], expected \[1, 2, 5\]/);
    const gru = engine.gru({ inputSize: I, hiddenSize: H });
    refuses(() => gru.forward(x(), { c0: { shape: [1, B, H], data: new Float32Array(B * H) } }), /c0 is only for LSTM layers/);
    refuses(() => lstm.forward(x(), { lengths: [3] }), /lengths has 1 entries but the batch has 2 sequences/);
    refuses(() => lstm.forward(x(), { lengths: [3, 0] }), /lengths\[1\] is 0; must be an integer from 1 to 3/);
    refuses(() => lstm.forward(x(), { lengths: [4, 1] }), /lengths\[0\] is 4/);
    refuses(() => lstm.forward(x(), { lengths: [2.5, 1] }), /lengths\[0\] is 2.5/);
  });

  it("refuses backward without a forward, without gradients, or with mis-shaped ones", () => {
    refuses(() => lstm.backward({ gradHN: { shape: [1, B, H], data: new Float32Array(B * H) } }), /call forward\(\) first/);
    lstm.forward(x());
    refuses(() => lstm.backward({}), /pass at least one of gradOutput, gradHN, gradCN/);
    refuses(() => lstm.backward({ gradOutput: { shape: [T, B, H + 1], data: new Float32Array(T * B * (H + 1)) } }), /gradOutput has shape \[3, 2, 6\], expected \[3, 2, 5\]/);
    const nan = new Float32Array(B * H);
    nan[0] = NaN;
    refuses(() => lstm.backward({ gradCN: { shape: [1, B, H], data: nan } }), /gradCN contains 1 NaN/);
  });

  it("a refused forward leaves the earlier forward's backward intact; a failed one does not fake it", async () => {
    lstm.forward(x());
    const before = lstm.backward({ gradHN: { shape: [1, B, H], data: new Float32Array(B * H).fill(1) } }).grads;
    lstm.forward(x());
    refuses(() => lstm.forward(x(), { lengths: [0, 1] }), /lengths\[0\] is 0/);
    const again = lstm.backward({ gradHN: { shape: [1, B, H], data: new Float32Array(B * H).fill(1) } }).grads;
    expect(again).toEqual(before);
  });
});

describe("state dicts", () => {
  it("refuses unknown, missing, mis-shaped and non-finite entries without writing any", async () => {
    const engine = await createEngine({ backend: "wasm", seed: 2 });
    const gru = engine.gru({ inputSize: 2, hiddenSize: 3, bidirectional: true });
    const original = gru.stateDict();
    const dict = () => Object.fromEntries(Object.entries(gru.stateDict()).map(([k, v]) => [k, { shape: v.shape, data: v.data.map(() => 0.5) }]));

    refuses(() => gru.loadStateDict({ ...dict(), weight_ih_l1: tensor([1], [1]) }), /unknown entries weight_ih_l1; expected weight_ih_l0, weight_hh_l0/);
    const missing = dict();
    delete missing.bias_hh_l0_reverse;
    refuses(() => gru.loadStateDict(missing), /missing entries bias_hh_l0_reverse/);
    const misshaped = dict();
    misshaped.weight_hh_l0 = { shape: [3, 9], data: new Float32Array(27) };
    refuses(() => gru.loadStateDict(misshaped), /weight_hh_l0: values have shape \[3, 9\], expected \[9, 3\]/);
    const nonFinite = dict();
    nonFinite.bias_ih_l0_reverse.data[2] = NaN;
    refuses(() => gru.loadStateDict(nonFinite), /bias_ih_l0_reverse values contains 1 NaN/);
    expect(gru.stateDict()).toEqual(original);
  });
});

describe("memory limits", () => {
  it("refuses a request over the limit and keeps working afterwards", async () => {
    const engine = await createEngine({ backend: "wasm-simd", maxMemoryMB: 8, seed: 3 });
    refuses(() => engine.lstm({ inputSize: 1000, hiddenSize: 1000 }), /memory request of .* MiB exceeds the engine's limit of 8.0 MiB/);
    const small = engine.lstm({ inputSize: I, hiddenSize: H });
    const first = small.forward(x());
    refuses(() => small.forward({ shape: [2000, 100, I], data: new Float32Array(2000 * 100 * I) }), /exceeds the engine's limit/);
    expect(small.forward(x()).output).toEqual(first.output);
  });
});

describe("optimizer and clipping arguments", () => {
  it("names the invalid setting and leaves gradients untouched on a NaN norm", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = engine.parameter("w", [3]);
    refuses(() => engine.optimizer("lion" as never, [p]), /unknown optimizer "lion"/);
    refuses(() => engine.optimizer("sgd", [p], { lr: -1 }), /lr must be a finite number ≥ 0, got -1/);
    refuses(() => engine.optimizer("sgd", [p], { nesterov: true }), /nesterov needs momentum > 0 and dampening 0/);
    refuses(() => engine.optimizer("adam", [p], { momentum: 0.9 }), /unknown options momentum; allowed: lr, weightDecay, betas, eps/);
    refuses(() => engine.optimizer("adam", [p], { betas: [0.9, 1] }), /betas must be two numbers in \[0, 1\)/);
    refuses(() => engine.clipGradNorm([p], 0), /maxNorm must be a finite number > 0/);
    p.setGradient(tensor([1, 2, 3], [3]));
    engine.heap.f[(p.grad >> 2) + 1] = NaN;
    refuses(() => engine.clipGradNorm([p], 1), /the gradient norm is NaN/);
    expect(Array.from(p.gradient().data).map(String)).toEqual(["1", "NaN", "3"]);
  });
});

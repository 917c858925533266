// Two worker_threads over one shared WebAssembly.Memory: each attaches to its
// own region, runs the main engine's layer (same weights, no copy) on half of
// the batch, and together they reproduce the single-engine run.

import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { createEngine, type Tensor } from "../../web/lib/index.ts";
import { Random } from "../../web/lib/util/random.ts";
import { expectClose } from "../helpers/compare.ts";
import { randn } from "../helpers/random.ts";

const T = 9, B = 8, I = 6, H = 10;

/** Rows [from, to) of the batch dimension of a [T, B, W] or [L, B, W] tensor. */
function batchSlice(t: { shape: number[]; data: ArrayLike<number> }, from: number, to: number) {
  const [A, Bt, W] = t.shape;
  const data: number[] = [];
  for (let a = 0; a < A; a++) for (let b = from; b < to; b++) for (let j = 0; j < W; j++) data.push(t.data[(a * Bt + b) * W + j]);
  return { shape: [A, to - from, W], data };
}

function runWorker(workerData: object): Promise<{ output: Tensor; hN: Tensor; gradX: Tensor; grads: Record<string, Tensor>; shared: boolean }> {
  return new Promise((resolve, reject) => {
    const script = new URL("../helpers/layer-worker.ts", import.meta.url).href;
    const w = new Worker(new URL("../helpers/ts-worker.mjs", import.meta.url), { workerData: { ...workerData, script } });
    w.once("message", (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once("error", reject);
  });
}

describe.each(["wasm-simd", "wasm", "js"] as const)("two workers over shared memory (%s)", (backend) => {
  it("reproduce the single-engine outputs exactly and its gradients up to summation order", async () => {
    const engine = await createEngine({ backend, shared: true, seed: 21 });
    expect(engine.shared).toBe(true);
    const layer = engine.gru({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true });
    const rng = new Random(4);
    const lengths = [9, 3, 7, 1, 9, 5, 2, 8];
    const x = { shape: [T, B, I], data: randn(rng, T * B * I) };
    const gradOutput = { shape: [T, B, 2 * H], data: randn(rng, T * B * 2 * H) };
    const gradHN = { shape: [4, B, H], data: randn(rng, 4 * B * H) };
    const whole = layer.forward(x, { lengths });
    const wholeGrads = layer.backward({ gradOutput, gradHN });

    const half = B / 2;
    const shards = [0, 1].map((k) => ({
      backend,
      memory: engine.memory,
      region: engine.reserve(8 << 20),
      descriptor: layer.describe(),
      x: batchSlice(x, k * half, (k + 1) * half),
      lengths: lengths.slice(k * half, (k + 1) * half),
      gradOutput: batchSlice(gradOutput, k * half, (k + 1) * half),
      gradHN: batchSlice(gradHN, k * half, (k + 1) * half),
    }));
    const results = await Promise.all(shards.map(runWorker));
    expect(results.every((r) => r.shared)).toBe(true);

    for (let k = 0; k < 2; k++) {
      expect(Array.from(results[k].output.data)).toEqual(batchSlice(whole.output, k * half, (k + 1) * half).data);
      expect(Array.from(results[k].hN.data)).toEqual(batchSlice(whole.hN, k * half, (k + 1) * half).data);
      expect(Array.from(results[k].gradX.data)).toEqual(batchSlice(wholeGrads.gradX, k * half, (k + 1) * half).data);
    }
    for (const [name, g] of Object.entries(wholeGrads.grads)) {
      const sum = g.data.map((_, i) => results[0].grads[name].data[i] + results[1].grads[name].data[i]);
      expectClose(sum, g.data, { abs: 1e-5, rel: 1e-5 }, name);
    }
  });
});

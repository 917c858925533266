// Finite-difference checks of every model layer on the float64 twin: each
// parameter entry and each input entry, through device-level forward/backward.

import { describe, expect, it } from "vitest";
import { createEngine, DeviceTensor, type Engine } from "../../web/lib/index.ts";
import type { Input } from "../helpers/gradcheck.ts";
import { expectGradcheck, randomInput } from "../helpers/gradcheck.ts";

const f64 = () => createEngine({ backend: "js", precision: "float64", seed: 5 });

const device = (engine: Engine, input: Input, shape: number[]) => new DeviceTensor(engine, input.ptr, shape);

function ints(engine: Engine, values: number[]): number {
  const ptr = engine.arena.alloc(values.length * 4);
  engine.heap.i32.set(values, ptr >> 2);
  return ptr;
}

describe("layer gradient checks (float64 twin)", () => {
  it.each([
    ["with bias", { bias: true }],
    ["without bias", { bias: false }],
    ["with tanh", { activation: "tanh" as const }],
  ])("linear %s", async (_, extra) => {
    const engine = await f64();
    const M = 5, K = 7, N = 6;
    const fc = engine.linear({ inFeatures: K, outFeatures: N, ...extra });
    const x = randomInput(engine, "x", M * K, 2);
    expectGradcheck(engine, {
      params: fc.parameters(),
      inputs: [x],
      forward: () => [fc.forward(x.ptr, M)],
      backward: ([g]) => [fc.backward(g)!.ptr],
    }, M * K + N * K);
  });

  it("embedding", async () => {
    const engine = await f64();
    const emb = engine.embedding({ numEmbeddings: 6, embeddingDim: 4 });
    const ids = ints(engine, [3, 5, 5, 1, 2, 3, 0]);
    expectGradcheck(engine, {
      params: emb.parameters(),
      inputs: [],
      forward: () => [emb.forward(ids, 7)],
      backward: ([g]) => {
        emb.backward(g);
        return [];
      },
    }, 24);
  });

  it("embedding's padding row starts at zero and gets no gradient, as torch's padding_idx", async () => {
    const engine = await f64();
    const emb = engine.embedding({ numEmbeddings: 5, embeddingDim: 3, paddingIdx: 2 });
    expect(Array.from(emb.weight.values().data.slice(6, 9))).toEqual([0, 0, 0]);
    const ids = ints(engine, [2, 1, 2, 4]);
    emb.forward(ids, 4);
    const g = engine.arena.alloc(12 * 4);
    engine.heap.f.fill(1, g >> 2, (g >> 2) + 12);
    emb.backward(g);
    expect(Array.from(emb.weight.gradient().data)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });

  it.each(["mean", "max"] as const)("pooling (%s) over sequences of different lengths", async (mode) => {
    const engine = await f64();
    const T = 5, B = 3, W = 4;
    const pool = engine.pool(mode);
    const x = randomInput(engine, "x", T * B * W, 3);
    const lengths = ints(engine, [5, 2, 3]);
    expectGradcheck(engine, {
      params: [],
      inputs: [x],
      forward: () => [pool.forward(device(engine, x, [T, B, W]), lengths)],
      backward: ([g]) => [pool.backward(g).ptr],
    }, T * B * W);
  });

  it.each(["sum", "mean", "mul"] as const)("bidirectional merge (%s)", async (mode) => {
    const engine = await f64();
    const M = 4, H = 3;
    const merge = engine.merge(mode);
    const x = randomInput(engine, "x", M * 2 * H, 4);
    expectGradcheck(engine, {
      params: [],
      inputs: [x],
      forward: () => [merge.forward(device(engine, x, [M, 2 * H]))],
      backward: ([g]) => [merge.backward(g)],
    }, M * 2 * H);
  });

  it.each(["dot", "general", "additive"] as const)("attention (%s) with source lengths", async (score) => {
    const engine = await f64();
    const Td = 3, Ts = 5, B = 2, Hq = 4, Hk = score === "dot" ? 4 : 3;
    const att = engine.attention({ score, querySize: Hq, keySize: Hk, attentionSize: 3 });
    const q = randomInput(engine, "q", Td * B * Hq, 5);
    const k = randomInput(engine, "k", Ts * B * Hk, 6);
    const lengths = ints(engine, [5, 2]);
    expectGradcheck(engine, {
      params: att.parameters(),
      inputs: [q, k],
      forward: () => {
        // α is exposed for display only; gradients flow through the context.
        return [att.forward(device(engine, q, [Td, B, Hq]), device(engine, k, [Ts, B, Hk]), lengths).context];
      },
      backward: ([g]) => {
        const r = att.backward(g);
        return [r.dq.ptr, r.dk.ptr];
      },
    }, Td * B * Hq + Ts * B * Hk);
  });

  it.each([
    ["lstm", { recurrentDropout: 0.3, dropout: 0.4 }],
    ["gru", { recurrentDropout: 0.3, dropout: 0.4 }],
    ["gru", { recurrentDropout: 0.3, resetAfter: false }],
    ["rnn", { recurrentDropout: 0.3, dropout: 0.4 }],
  ] as const)("%s with dropout %o in training mode", async (kind, extra) => {
    const engine = await f64();
    const T = 4, B = 3, I = 3, H = 4;
    const layer = engine[kind]({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, ...extra });
    const x = randomInput(engine, "x", T * B * I, 7);
    const lengths = ints(engine, [4, 1, 3]);
    expectGradcheck(engine, {
      params: layer.parameters(),
      inputs: [x],
      forward: () => {
        const r = layer.run(x.ptr, T, B, { lengths });
        return [r.output, r.hN];
      },
      backward: ([gout, ghn]) => [layer.runBackward({ gout, dhN: ghn }).dx!.ptr],
    }, T * B * I + 100);
  });
});

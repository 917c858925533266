// Whole models agree across backends: the same weights on wasm-simd, wasm and
// the JS twin give the same logits and the same gradient for every parameter.

import { describe, it } from "vitest";
import { BACKENDS, createEngine, type Tensor } from "../../web/lib/index.ts";
import { createModel, type Model, type ModelConfig } from "../../web/lib/models/create.ts";
import { tokenBatch } from "../../web/lib/models/batch.ts";
import { teacherForcing } from "../../web/lib/models/seq2seq.ts";
import type { SequenceClassifier } from "../../web/lib/models/classifier.ts";
import type { SequenceTagger } from "../../web/lib/models/tagger.ts";
import type { Seq2Seq } from "../../web/lib/models/seq2seq.ts";
import type { SequenceGenerator } from "../../web/lib/models/generator.ts";
import type { EncoderConfig } from "../../web/lib/models/encoder.ts";
import { expectClose, TORCH_F32 } from "../helpers/compare.ts";

const enc = (extra: Partial<EncoderConfig> = {}): EncoderConfig => ({
  input: { vocabSize: 30, embeddingDim: 12 }, cell: "lstm", hiddenSize: 17, numLayers: 2, bidirectional: true, merge: "concat",
  dropout: 0, recurrentDropout: 0, ...extra,
});
const src = [[4, 9, 13, 20, 7, 5], [8, 4], [29, 11, 12, 5, 6], [10]];
const tgt = [[5, 6, 7], [8, 9, 10, 11, 12], [13], [14, 15]];

const CASES: [string, ModelConfig, (m: Model) => { data: ArrayLike<number>; back: (g: number) => void; ptr: number; size: number }][] = [
  ["classifier", { type: "classifier", ...enc({ cell: "gru", merge: "mul" }), pooling: "max", headDropout: 0, classes: 4 }, (m) => {
    const c = m as SequenceClassifier;
    const y = c.forward(tokenBatch(src));
    return { data: y.data, ptr: y.ptr, size: y.size, back: (g) => c.backward(g) };
  }],
  ["language model", { type: "tagger", ...enc({ bidirectional: false }), headDropout: 0, head: "softmax", outputs: 30 }, (m) => {
    const t = m as SequenceTagger;
    const y = t.forward(tokenBatch(src)).out;
    return { data: y.data, ptr: y.ptr, size: y.size, back: (g) => t.backward(g) };
  }],
  ["seq2seq (additive attention)", { type: "seq2seq", encoder: enc({ merge: "sum" }), targetVocabSize: 20, targetEmbeddingDim: 9, attention: "additive", headDropout: 0 }, (m) => {
    const s = m as Seq2Seq;
    const y = s.forward(tokenBatch(src), teacherForcing(tgt).input);
    return { data: y.data, ptr: y.ptr, size: y.size, back: (g) => s.backward(g) };
  }],
  ["generator", { type: "generator", conditionSize: 3, decoder: enc({ bidirectional: false, cell: "gru" }), headDropout: 0 }, (m) => {
    const gm = m as SequenceGenerator;
    const y = gm.forward([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0]], teacherForcing(tgt).input);
    return { data: y.data, ptr: y.ptr, size: y.size, back: (g) => gm.backward(g) };
  }],
];

describe.each(CASES)("%s agrees across backends", (_, config, run) => {
  it("logits and every parameter gradient", async () => {
    const results: { logits: number[]; grads: Record<string, Tensor> }[] = [];
    let weights: Record<string, Tensor> | undefined;
    for (const backend of BACKENDS) {
      const engine = await createEngine({ backend, seed: 13 });
      const model = createModel(engine, config);
      if (weights) model.loadStateDict(weights);
      else weights = model.stateDict();
      model.eval();
      model.zeroGrad();
      const r = run(model);
      const logits = Array.from(r.data);
      const g = engine.arena.alloc(r.size * 4);
      engine.heap.f.set(logits.map((v, i) => Math.sin(i) * 0.1 + v * 0.01), g >> 2);
      r.back(g);
      results.push({ logits, grads: Object.fromEntries(model.namedParameters().map(([n, p]) => [n, p.gradient()])) });
    }
    for (const other of results.slice(1)) {
      expectClose(other.logits, results[0].logits, TORCH_F32, "logits");
      for (const [name, g] of Object.entries(results[0].grads)) expectClose(other.grads[name].data, g.data, { abs: 2e-5, rel: 1e-4 }, name);
    }
  });
});

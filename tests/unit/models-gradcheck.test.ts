// Whole-model finite-difference checks on the float64 twin: every parameter of
// each model family, through its own forward and backward, with bidirectional
// encoders under each merge mode, every pooling, and every attention score.

import { describe, it } from "vitest";
import { createEngine, type DeviceTensor, type Engine, type Module } from "../../web/lib/index.ts";
import { SequenceClassifier } from "../../web/lib/models/classifier.ts";
import { SequenceTagger } from "../../web/lib/models/tagger.ts";
import { Seq2Seq } from "../../web/lib/models/seq2seq.ts";
import { SequenceGenerator } from "../../web/lib/models/generator.ts";
import { featureBatch, tokenBatch } from "../../web/lib/models/batch.ts";
import type { EncoderConfig } from "../../web/lib/models/encoder.ts";
import { teacherForcing } from "../../web/lib/models/seq2seq.ts";
import { expectGradcheck } from "../helpers/gradcheck.ts";

const f64 = () => createEngine({ backend: "js", precision: "float64", seed: 9 });

const encoder = (extra: Partial<EncoderConfig> = {}): EncoderConfig => ({
  input: { vocabSize: 9, embeddingDim: 3 }, cell: "lstm", hiddenSize: 3, numLayers: 2, bidirectional: true, merge: "concat",
  dropout: 0, recurrentDropout: 0, ...extra,
});

const sources = [[4, 5, 6, 7], [8, 4], [5, 6, 7]];

function check(engine: Engine, model: Module, forward: () => DeviceTensor, backward: (g: number) => void) {
  model.eval();
  expectGradcheck(engine, { params: model.parameters(), inputs: [], forward: () => [forward()], backward: ([g]) => (backward(g), []) }, 50);
}

describe("model gradient checks (float64 twin)", () => {
  it.each([
    ["last", "concat", "lstm"],
    ["mean", "sum", "gru"],
    ["max", "mul", "rnn"],
    ["last", "mean", "gru"],
  ] as const)("classifier: pooling %s, merge %s, %s", async (pooling, merge, cell) => {
    const engine = await f64();
    const m = new SequenceClassifier(engine, { type: "classifier", ...encoder({ merge, cell }), pooling, headDropout: 0, classes: 3 });
    const batch = tokenBatch(sources);
    check(engine, m, () => m.forward(batch), (g) => m.backward(g));
  });

  it("tagger over numeric features (regression head)", async () => {
    const engine = await f64();
    const m = new SequenceTagger(engine, {
      type: "tagger", ...encoder({ input: { features: 2 }, cell: "gru", merge: "mean" }), headDropout: 0, head: "regression", outputs: 2,
    });
    const batch = featureBatch([[[0.1, 0.2], [0.3, -0.1], [0.5, 0.5]], [[1, 0], [0, 1]]], 2);
    check(engine, m, () => m.forward(batch).out, (g) => m.backward(g));
  });

  it.each(["none", "dot", "general", "additive"] as const)("seq2seq with %s attention", async (attention) => {
    const engine = await f64();
    const m = new Seq2Seq(engine, {
      type: "seq2seq", encoder: encoder({ merge: attention === "general" ? "sum" : "concat" }), targetVocabSize: 8, targetEmbeddingDim: 3,
      attention, attentionSize: 4, headDropout: 0,
    });
    const src = tokenBatch(sources);
    const { input } = teacherForcing([[4, 5], [6, 7, 4], [5]]);
    check(engine, m, () => m.forward(src, input), (g) => m.backward(g));
  });

  it("seq2seq with a GRU encoder of one direction", async () => {
    const engine = await f64();
    const m = new Seq2Seq(engine, {
      type: "seq2seq", encoder: encoder({ cell: "gru", bidirectional: false }), targetVocabSize: 7, targetEmbeddingDim: 2,
      attention: "dot", headDropout: 0,
    });
    const { input } = teacherForcing([[4], [6, 5, 4], [5, 5]]);
    check(engine, m, () => m.forward(tokenBatch(sources), input), (g) => m.backward(g));
  });

  it("generator from a condition vector", async () => {
    const engine = await f64();
    const m = new SequenceGenerator(engine, { type: "generator", conditionSize: 2, decoder: encoder({ bidirectional: false }), headDropout: 0 });
    const { input } = teacherForcing([[4, 5], [6, 7, 4]]);
    check(engine, m, () => m.forward([[1, 0], [0.3, -0.7]], input), (g) => m.backward(g));
  });
});

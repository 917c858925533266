// ONNX export: every family, every cell kind, one and two layers, one and
// two directions, sequences of different lengths padded with junk — run in
// ONNX Runtime, their outputs equal Gated's within 1e-5.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../../web/lib/index.ts";
import { createModel, type ModelConfig } from "../../web/lib/models/create.ts";
import type { SequenceClassifier } from "../../web/lib/models/classifier.ts";
import type { EncoderConfig } from "../../web/lib/models/encoder.ts";
import { tokenBatch } from "../../web/lib/models/batch.ts";
import { exportOnnx } from "../../web/lib/export/onnx/export.ts";
import type { ModelCard } from "../../web/lib/persist/card.ts";
import type { RecurrentKind } from "../../web/lib/layers/recurrent-options.ts";
import { expectClose } from "../helpers/compare.ts";
import { padded, runOnnx } from "../helpers/onnx.ts";

const CLOSE = { abs: 1e-5, rel: 1e-5 };
const data = { name: "test", items: 10, testFraction: 0.1, seed: 1 };
const vocab = (n: number) => ["<pad>", "<unk>", "<s>", "</s>", ...Array.from({ length: n - 4 }, (_, i) => `t${i}`)];
const enc = (cell: RecurrentKind, extra: Partial<EncoderConfig> = {}): EncoderConfig => ({
  input: { vocabSize: 30, embeddingDim: 6 }, cell, hiddenSize: 5, numLayers: 1, bidirectional: false, merge: "concat", dropout: 0, recurrentDropout: 0, ...extra,
});
// Lengths 1 to 6, padded with an id past the vocabulary: read, it would fail the Gather.
const SOURCES = [[4, 9, 13, 20, 7, 5], [8, 4], [29, 11, 12, 5, 6], [10]];

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine({ seed: 7 });
});
afterAll(() => engine?.dispose());

describe("classifier", () => {
  const cases: [string, EncoderConfig, "last" | "mean" | "max", number][] = [];
  for (const cell of ["rnn", "lstm", "gru"] as const) {
    cases.push([`${cell}, 1 layer`, enc(cell), "last", 3]);
    cases.push([`${cell}, 2 layers, bidirectional concat`, enc(cell, { numLayers: 2, bidirectional: true }), "last", 3]);
  }
  cases.push(["gru resetAfter false, bidirectional sum, mean pooling", enc("gru", { bidirectional: true, merge: "sum", resetAfter: false }), "mean", 3]);
  cases.push(["rnn relu, 2 layers, bidirectional mul, max pooling", enc("rnn", { numLayers: 2, bidirectional: true, merge: "mul", nonlinearity: "relu" }), "max", 4]);
  cases.push(["lstm, bidirectional mean, one logit", enc("lstm", { bidirectional: true, merge: "mean" }), "max", 1]);

  it.each(cases)("%s", async (_, e, pooling, classes) => {
    const config: ModelConfig = { type: "classifier", ...e, pooling, headDropout: 0, classes };
    const model = createModel(engine, config).eval() as SequenceClassifier;
    const labels = Array.from({ length: Math.max(2, classes) }, (_, i) => `l${i}`);
    const card: ModelCard = { kind: "classifier", version: 1, data, tokenizer: { kind: "word", lowercase: true }, vocab: vocab(30), labels, maxTokens: 50 };
    const { graphs, description } = exportOnnx({ model, config, card });
    expect(Object.keys(graphs)).toEqual(["model"]);
    expect(description.graphs.model.outputs.map((o) => o.name)).toEqual(["probabilities"]);
    const p = padded(SOURCES, 999);
    const out = await runOnnx(graphs.model, { tokens: { type: "int64", dims: [4, p.T], data: p.tokens }, lengths: { type: "int64", dims: [4], data: p.lengths } });
    const gated = model.predict(tokenBatch(SOURCES)).map((r) => (classes === 1 ? [1 - r[0], r[0]] : r));
    expect(out.probabilities.dims).toEqual([4, labels.length]);
    expectClose(out.probabilities.data, gated.flat(), CLOSE, "probabilities");
    model.dispose();
  });
});

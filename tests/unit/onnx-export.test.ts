// ONNX export: every family, every cell kind, one and two layers, one and
// two directions, sequences of different lengths padded with junk — run in
// ONNX Runtime, their outputs equal Gated's within 1e-5.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../../web/lib/index.ts";
import { createModel, type ModelConfig } from "../../web/lib/models/create.ts";
import type { SequenceClassifier } from "../../web/lib/models/classifier.ts";
import type { EncoderConfig } from "../../web/lib/models/encoder.ts";
import { featureBatch, tokenBatch } from "../../web/lib/models/batch.ts";
import type { SequenceTagger } from "../../web/lib/models/tagger.ts";
import type { SequenceGenerator } from "../../web/lib/models/generator.ts";
import { type Seq2Seq, teacherForcing } from "../../web/lib/models/seq2seq.ts";
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

describe("language model and forecaster (state carried between runs)", () => {
  const cases: [string, EncoderConfig][] = [
    ["lstm, 2 layers", enc("lstm", { numLayers: 2 })],
    ["gru", enc("gru")],
    ["rnn", enc("rnn")],
  ];

  it.each(cases)("language model: %s", async (_, e) => {
    const config: ModelConfig = { type: "tagger", ...e, headDropout: 0, head: "softmax", outputs: 30 };
    const model = createModel(engine, config).eval() as SequenceTagger;
    const card: ModelCard = { kind: "language-model", version: 1, data, tokenizer: { kind: "char", lowercase: true }, vocab: vocab(30), maxTokens: 20 };
    const { graphs } = exportOnnx({ model, config, card });
    const p = padded(SOURCES, 999);
    const L = e.numLayers;
    const zeros = { type: "float32" as const, dims: [L, 4, 5], data: new Array(L * 4 * 5).fill(0) };
    const feed = { tokens: { type: "int64" as const, dims: [4, p.T], data: p.tokens }, lengths: { type: "int64" as const, dims: [4], data: p.lengths }, h0: zeros, ...(e.cell === "lstm" ? { c0: zeros } : {}) };
    const out = await runOnnx(graphs.model, feed);
    const { out: logits, run } = model.forward(tokenBatch(SOURCES));
    expectClose(out.hN.data, run.hN.data, CLOSE, "hN");
    if (e.cell === "lstm") expectClose(out.cN.data, run.cN!.data, CLOSE, "cN");
    // Probabilities at every real step (ONNX is batch-first, Gated time-major).
    SOURCES.forEach((s, b) => s.forEach((_, t) => {
      const row = Array.from(logits.data.subarray((t * 4 + b) * 30, (t * 4 + b + 1) * 30));
      expectClose(out.probabilities.data.subarray((b * p.T + t) * 30, (b * p.T + t + 1) * 30), softmax(row), CLOSE, `probabilities of sequence ${b}, step ${t}`);
    }));
    // A second run from the first's final state, as generation does.
    const next = await runOnnx(graphs.model, { tokens: { type: "int64", dims: [4, 1], data: [5, 6, 7, 8] }, lengths: { type: "int64", dims: [4], data: [1, 1, 1, 1] }, h0: { ...zeros, data: out.hN.data }, ...(e.cell === "lstm" ? { c0: { ...zeros, data: out.cN.data } } : {}) });
    const again = model.forward(tokenBatch([[5], [6], [7], [8]]), { h0: run.hN.ptr, c0: run.cN?.ptr }).out;
    expectClose(next.probabilities.data, Array.from({ length: 4 }, (_, b) => softmax(Array.from(again.data.subarray(b * 30, (b + 1) * 30)))).flat(), CLOSE, "probabilities after the carried state");
    model.dispose();
  });

  it.each(cases)("forecaster: %s", async (_, e) => {
    const config: ModelConfig = { type: "tagger", ...e, input: { features: 1 }, headDropout: 0, head: "regression", outputs: 1 };
    const model = createModel(engine, config).eval() as SequenceTagger;
    const card: ModelCard = { kind: "forecaster", version: 1, data, mean: 0.5, std: 2, window: 3, tail: [1, 2, 3, 4] };
    const { graphs, description } = exportOnnx({ model, config, card });
    expect(description.graphs.model.inputs.map((i) => i.name)).toEqual(["features", "lengths", "h0", ...(e.cell === "lstm" ? ["c0"] : [])]);
    const series = [[0.3, -1.2, 0.8, 2.1], [1.5], [-0.4, 0.2, 0.9]];
    const T = 4;
    const features = series.flatMap((s) => [...s, ...new Array(T - s.length).fill(NaN)]);
    const L = e.numLayers;
    const zeros = { type: "float32" as const, dims: [L, 3, 5], data: new Array(L * 3 * 5).fill(0) };
    const out = await runOnnx(graphs.model, { features: { type: "float32", dims: [3, T, 1], data: features }, lengths: { type: "int64", dims: [3], data: series.map((s) => s.length) }, h0: zeros, ...(e.cell === "lstm" ? { c0: zeros } : {}) });
    const gated = model.forward(featureBatch(series.map((s) => s.map((v) => [v])), 1)).out.data;
    series.forEach((s, b) => s.forEach((_, t) => expectClose([out.predictions.data[b * T + t]], [gated[t * 3 + b]], CLOSE, `prediction ${b}, ${t}`)));
    model.dispose();
  });
});

describe("generator: start and decoder graphs", () => {
  it.each(["lstm", "gru", "rnn"] as const)("%s", async (cell) => {
    const config: ModelConfig = { type: "generator", conditionSize: 3, decoder: enc(cell, { numLayers: 2 }), headDropout: 0 };
    const model = createModel(engine, config).eval() as SequenceGenerator;
    const card: ModelCard = { kind: "generator", version: 1, data, tokenizer: { kind: "char", lowercase: true }, vocab: vocab(30), conditions: ["a", "b", "c"], maxTokens: 20 };
    const { graphs, files } = exportOnnx({ model, config, card }, "out/gen.onnx");
    expect(Object.keys(graphs)).toEqual(["start", "decoder"]);
    // Several graphs are written as NAME.PART.onnx beside NAME.json, whose entries name them.
    expect(Object.keys(files)).toEqual(["out/gen.start.onnx", "out/gen.decoder.onnx", "out/gen.json"]);
    expect(files["out/gen.start.onnx"]).toBe(graphs.start);
    expect(JSON.parse(new TextDecoder().decode(files["out/gen.json"])).graphs.decoder.file).toBe("gen.decoder.onnx");
    const conditions = [[1, 0, 0], [0, 0.5, 0.5]];
    const start = await runOnnx(graphs.start, { condition: { type: "float32", dims: [2, 3], data: conditions.flat() } });
    const targets = [[4, 5, 6], [7]];
    const { input } = teacherForcing(targets);
    const p = padded(targets.map((t) => [2, ...t]), 999);
    const out = await runOnnx(graphs.decoder, {
      tokens: { type: "int64", dims: [2, p.T], data: p.tokens }, lengths: { type: "int64", dims: [2], data: p.lengths },
      h0: { type: "float32", dims: [2, 2, 5], data: start.h0.data }, ...(cell === "lstm" ? { c0: { type: "float32", dims: [2, 2, 5], data: start.c0.data } } : {}),
    });
    const logits = model.forward(conditions, input).data;
    targets.forEach((t, b) => [2, ...t].forEach((_, s) => {
      const row = Array.from(logits.subarray((s * 2 + b) * 30, (s * 2 + b + 1) * 30));
      expectClose(out.probabilities.data.subarray((b * p.T + s) * 30, (b * p.T + s + 1) * 30), softmax(row), CLOSE, `probabilities ${b}, ${s}`);
    }));
    model.dispose();
  });
});

describe("translator: encoder and decoder graphs, greedy decoding as Gated's", () => {
  const cases: [string, EncoderConfig, "none" | "dot" | "general" | "additive"][] = [
    ["lstm, bidirectional concat, dot attention", enc("lstm", { bidirectional: true }), "dot"],
    ["gru, 2 layers, general attention", enc("gru", { numLayers: 2 }), "general"],
    ["rnn, bidirectional sum, additive attention", enc("rnn", { bidirectional: true, merge: "sum" }), "additive"],
    ["lstm, 2 layers bidirectional mean, no attention", enc("lstm", { numLayers: 2, bidirectional: true, merge: "mean" }), "none"],
  ];
  it.each(cases)("%s", async (_, e, attention) => {
    const config: ModelConfig = { type: "seq2seq", encoder: e, targetVocabSize: 25, targetEmbeddingDim: 7, attention, headDropout: 0 };
    const model = createModel(engine, config).eval() as Seq2Seq;
    const card: ModelCard = { kind: "translator", version: 1, data, tokenizer: { kind: "word", lowercase: true }, sourceVocab: vocab(30), targetVocab: vocab(25), maxTokens: 20 };
    const { graphs } = exportOnnx({ model, config, card });
    const p = padded(SOURCES, 999);
    const B = SOURCES.length;
    const encoded = await runOnnx(graphs.encoder, { tokens: { type: "int64", dims: [B, p.T], data: p.tokens }, lengths: { type: "int64", dims: [B], data: p.lengths } });
    const W = encoded.memory.dims[2];
    const stateDims = [e.numLayers, B, W];
    let state = { h: encoded.h0.data, c: encoded.c0?.data };
    let prev = new Array(B).fill(2);
    const ids: number[][] = SOURCES.map(() => []);
    const done = new Array(B).fill(false);
    const maxLength = 8;
    for (let step = 0; step < maxLength; step++) {
      const out = await runOnnx(graphs.decoder, {
        tokens: { type: "int64", dims: [B, 1], data: prev }, lengths: { type: "int64", dims: [B], data: new Array(B).fill(1) },
        h0: { type: "float32", dims: stateDims, data: state.h }, ...(state.c ? { c0: { type: "float32", dims: stateDims, data: state.c } } : {}),
        memory: { type: "float32", dims: [...encoded.memory.dims], data: encoded.memory.data }, source_lengths: { type: "int64", dims: [B], data: p.lengths },
      });
      if (attention !== "none") expect(out.attention.dims).toEqual([B, 1, p.T]);
      prev = prev.map((_, b) => {
        const row = Array.from(out.probabilities.data.subarray(b * 25, (b + 1) * 25));
        const best = row.indexOf(Math.max(...row));
        if (!done[b]) (best === 3 ? (done[b] = true) : ids[b].push(best));
        return best;
      });
      state = { h: out.hN.data, c: out.cN?.data };
    }
    expect(ids).toEqual(model.translate(SOURCES, { maxLength }).map((t) => t.ids));
    model.dispose();
  });
});

function softmax(row: number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / s);
}

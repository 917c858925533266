// Model files from users are data: a crafted header, config or card is
// refused before anything is decoded or allocated, costs no more memory than
// the file's size, never names a file for the program to open, and loaded
// models always predict in evaluation mode.

import { describe, expect, it } from "vitest";
import { createEngine, GatedError } from "../../web/lib/index.ts";
import { labelledSentences } from "../../web/lib/data/node-datasets.ts";
import { createModel } from "../../web/lib/models/create.ts";
import type { SequenceClassifier } from "../../web/lib/models/classifier.ts";
import { loadModel, saveModel } from "../../web/lib/persist/model-file.ts";
import { decodeSafetensors, encodeSafetensors } from "../../web/lib/persist/safetensors.ts";
import { classifyTexts } from "../../web/lib/pipelines/classifier/pipeline.ts";
import { PipelineRun } from "../../web/lib/pipelines/run.ts";
import type { ClassifierCard } from "../../web/lib/persist/card.ts";
import { refuses } from "../helpers/refuses.ts";

const MiB = 1 << 20;

/** A safetensors file with this header and data, bypassing the encoder's checks. */
function rawFile(header: object, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

async function trainedClassifier() {
  const engine = await createEngine({ backend: "wasm-simd", seed: 2 });
  const run = PipelineRun.start(engine, { kind: "classifier", items: labelledSentences().slice(0, 200), origin: { name: "reviews.csv" }, options: { epochs: 2, hiddenSize: 8, embeddingDim: 8 } });
  await run.session.run();
  const evaluation = run.evaluate();
  return { engine, bytes: run.modelFile(evaluation), evaluation };
}

describe("model files are checked before anything is built", () => {
  it("a header whose 1,000 entries all point at the same MiB is refused at once, without decoding them", async () => {
    const engine = await createEngine({ seed: 1 });
    const header: Record<string, unknown> = { __metadata__: { format: "gated-model", version: "2", config: "{}" } };
    for (let i = 0; i < 1000; i++) header[`t${i}`] = { dtype: "F32", shape: [MiB / 4], data_offsets: [0, MiB] };
    const file = rawFile(header, MiB);
    const before = process.memoryUsage().arrayBuffers;
    const t = performance.now();
    refuses(() => loadModel(engine, file, "crafted.safetensors"), /crafted.safetensors is not a valid model file: tensor t\d+ overlaps another/);
    expect(performance.now() - t).toBeLessThan(500);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * MiB);
  });

  it("a header naming more tensors than the model's config has, or a tensor of another shape, is refused before the model is built", async () => {
    const { engine, bytes } = await trainedClassifier();
    const { tensors, metadata } = decodeSafetensors(bytes);
    const used = engine.arena.usedBytes;
    refuses(() => loadModel(engine, encodeSafetensors({ ...tensors, "encoder.rnn.weight_ih_l1": { shape: [24, 16], data: new Float32Array(384) } }, metadata)), /unknown tensor encoder.rnn.weight_ih_l1/);
    const config = JSON.parse(metadata.config);
    refuses(() => loadModel(engine, encodeSafetensors(tensors, { ...metadata, config: JSON.stringify({ ...config, hiddenSize: 100000 }) })), /the weights do not fit the model's config: encoder.rnn.\w+ has shape \[24(, 8)?\], expected \[300000/);
    expect(engine.arena.usedBytes).toBe(used);
  });

  it("a config asking for a million layers, or any entry out of range or unknown, is refused before allocating", async () => {
    const engine = await createEngine({ seed: 1 });
    const used = engine.arena.usedBytes;
    const config = { type: "recurrent", kind: "lstm", options: { inputSize: 4, hiddenSize: 4, numLayers: 1e6 } };
    refuses(() => loadModel(engine, encodeSafetensors({}, { format: "gated-model", version: "2", config: JSON.stringify(config) })), /numLayers must be an integer from 1 to 64, got 1000000/);
    const classifier = { type: "classifier", input: { vocabSize: 12, embeddingDim: 4 }, cell: "gru", hiddenSize: 4, numLayers: 1, bidirectional: false, merge: "concat", dropout: 0, recurrentDropout: 0, pooling: "last", headDropout: 0, classes: 2 };
    const load = (c: object) => () => loadModel(engine, encodeSafetensors({}, { format: "gated-model", version: "2", config: JSON.stringify(c) }));
    refuses(load({ ...classifier, numLayers: 1e6 }), /classifier.numLayers must be an integer from 1 to 64/);
    refuses(load({ ...classifier, input: { vocabSize: 2 ** 40, embeddingDim: 4 } }), /vocabSize must be an integer from 1 to 16777216/);
    refuses(load({ ...classifier, extra: 1 }), /classifier has unknown entries extra/);
    refuses(load({ ...classifier, hiddenSize: "4" }), /hiddenSize must be an integer/);
    expect(engine.arena.usedBytes).toBe(used);
  });

  it("vocabularies, labels and every other card entry are checked against the config; tampered ones are refused", async () => {
    const { engine, bytes } = await trainedClassifier();
    const { tensors, metadata } = decodeSafetensors(bytes);
    const card = JSON.parse(metadata.card) as ClassifierCard;
    const withCard = (c: unknown) => () => loadModel(engine, encodeSafetensors(tensors, { ...metadata, card: JSON.stringify(c) }));
    refuses(withCard({ ...card, vocab: [...card.vocab, "extra"] }), new RegExp(`vocab has ${card.vocab.length + 1} entries but the model's config has room for ${card.vocab.length}`));
    refuses(withCard({ ...card, vocab: undefined }), /the card lacks vocab/);
    refuses(withCard({ ...card, labels: ["a"] }), /labels has 1 entries but the model's config has room for 2/);
    refuses(withCard({ ...card, vocab: [...card.vocab.slice(0, -1), card.vocab[5]] }), /vocab lists an entry twice/);
    refuses(withCard({ ...card, tokenizer: { kind: "bytes", lowercase: true } }), /tokenizer.kind must be "char" or "word"/);
    refuses(withCard({ ...card, maxTokens: 1e9 }), /maxTokens must be an integer from 1 to 100000/);
    refuses(withCard({ ...card, kind: "forecaster", mean: "abc", std: 1, window: 2, tail: [1, 2, 3] }), /the card has unknown entries tokenizer, vocab, labels, maxTokens/);
    const metric = card.scores!.metrics[0];
    refuses(withCard({ ...card, scores: { ...card.scores, metrics: [{ ...metric, value: "99%" }] } }), /scores.metrics\[0\].value must be a finite number, got "99%"/);
    refuses(withCard({ ...card, scores: { ...card.scores, metrics: Array(21).fill(metric) } }), /scores.metrics must be a list of at most 20 metrics/);
    refuses(withCard({ ...card, scores: { ...card.scores, extra: 1 } }), /scores has unknown entries extra/);
    // A vocabulary of four million entries does not fit in the header the reader accepts.
    const huge = { ...card, vocab: [...card.vocab, ...Array.from({ length: 4_000_000 }, (_, i) => `w${i}`)] };
    const t = performance.now();
    refuses(withCard(huge), /its header has \d+ bytes, more than the 16777216 read/);
    expect(performance.now() - t).toBeLessThan(3000);
  });

  it("a model file carries the held-out scores of its weights, as measured before it was written", async () => {
    const { engine, bytes, evaluation } = await trainedClassifier();
    const { card } = loadModel(engine, bytes);
    expect(card!.scores).toEqual({ count: evaluation.count, unit: evaluation.unit, metrics: evaluation.metrics });
    expect(card!.scores!.metrics[0].key).toBe("accuracy");
  });

  it("a card records where its data came from for people to read, and cannot name a file or preset for the program to open", async () => {
    const { engine, bytes } = await trainedClassifier();
    const { tensors, metadata } = decodeSafetensors(bytes);
    const card = JSON.parse(metadata.card) as ClassifierCard;
    expect(card.data).toEqual({ name: "reviews.csv", items: 200, testFraction: 0.1, seed: 1 });
    const withData = (data: unknown) => () => loadModel(engine, encodeSafetensors(tensors, { ...metadata, card: JSON.stringify({ ...card, data }) }));
    refuses(withData({ ...card.data, file: "/etc/passwd" }), /data has unknown entries file/);
    refuses(withData({ ...card.data, source: { file: "/etc/passwd" } }), /data has unknown entries source/);
    refuses(withData({ ...card.data, preset: "../../etc/passwd" }), /data.preset "..\/..\/etc\/passwd" is not a preset of this Gated/);
    refuses(withData({ ...card.data, settings: { dataset: "/etc/passwd" } }), /data.settings go with a data.preset/);
    refuses(withData({ ...card.data, preset: "sentiment", settings: { dataset: "/etc/passwd" } }), /data.settings: dataset must be one of uci, imdb, got "\/etc\/passwd"/);
    refuses(withData({ ...card.data, preset: "names", settings: { dataset: "imdb" } }), /data.settings: the names preset takes limit; not dataset/);
  });

  it("accepts ArrayBuffers; refuses strings, null and other values with a GatedError, and so does loadStateDict", async () => {
    const { engine, bytes } = await trainedClassifier();
    const { model } = loadModel(engine, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(model.training).toBe(false);
    for (const bad of ["model.safetensors", null, undefined, 42, { length: 8 }]) refuses(() => loadModel(engine, bad as never), /expected the file's bytes \(a Uint8Array or an ArrayBuffer\)/);
    refuses(() => model.loadStateDict(null as never), /SequenceClassifier.loadStateDict: expected an object of tensors keyed by parameter name, got null/);
    const dict = model.stateDict();
    refuses(() => model.loadStateDict({ ...dict, "head.bias": new Float32Array(2) as never }), /head.bias values must be a tensor \{shape, data\} or nested arrays of numbers; expected shape \[2\]/);
  });
});

describe("every prediction runs in evaluation mode", () => {
  it("a loaded classifier answers the same for a text whatever the caller's mode, seed or the other texts in the call", async () => {
    const { bytes } = await trainedClassifier();
    const answers: number[] = [];
    for (const seed of [1, 2, 3]) {
      const engine = await createEngine({ backend: "wasm-simd", seed });
      const { model, card } = loadModel(engine, bytes);
      const m = model as SequenceClassifier;
      m.train(); // whatever the caller did before
      const alone = classifyTexts(m, card as ClassifierCard, ["The food was wonderful"])[0];
      const among = classifyTexts(m, card as ClassifierCard, ["Worst phone ever", "The food was wonderful", "meh"])[1];
      expect(among.probabilities).toEqual(alone.probabilities);
      expect(m.training).toBe(true);
      answers.push(alone.probabilities.positive);
    }
    expect(new Set(answers).size).toBe(1);
    // Dropout is real in training mode: the same forward differs there.
    const engine = await createEngine({ seed: 4 });
    const model = createModel(engine, { type: "classifier", input: { vocabSize: 12, embeddingDim: 4 }, cell: "gru", hiddenSize: 8, numLayers: 1, bidirectional: false, merge: "concat", dropout: 0, recurrentDropout: 0.5, pooling: "mean", headDropout: 0.5, classes: 2 }) as SequenceClassifier;
    const batch = { T: 2, B: 1, lengths: [2], ids: Int32Array.from([4, 5]) };
    expect(Array.from(model.forward(batch).data)).not.toEqual(Array.from(model.forward(batch).data));
    expect(model.predict(batch)).toEqual(model.predict(batch));
  });

  it("saving refuses a card that does not fit the model", async () => {
    const engine = await createEngine({ seed: 1 });
    const model = createModel(engine, { type: "recurrent", kind: "gru", options: { inputSize: 2, hiddenSize: 2 } });
    expect(() => saveModel(model, { kind: "classifier" } as never)).toThrow(GatedError);
  });
});

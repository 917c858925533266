// Model files: save → load → predict is exact for every model family, and
// corrupt, truncated or mismatched files are refused with the reason.

import { describe, expect, it } from "vitest";
import { createEngine, type Engine, GatedError } from "../../web/lib/index.ts";
import { configOf, createModel, type Model, type ModelConfig } from "../../web/lib/models/create.ts";
import { decodeSafetensors, encodeSafetensors } from "../../web/lib/persist/safetensors.ts";
import { loadModel, saveModel } from "../../web/lib/persist/model-file.ts";
import { PipelineRun } from "../../web/lib/pipelines/run.ts";
import type { EncoderConfig } from "../../web/lib/models/encoder.ts";
import { featureBatch, tokenBatch } from "../../web/lib/models/batch.ts";
import { teacherForcing } from "../../web/lib/models/seq2seq.ts";
import type { SequenceClassifier } from "../../web/lib/models/classifier.ts";
import type { SequenceTagger } from "../../web/lib/models/tagger.ts";
import type { Seq2Seq } from "../../web/lib/models/seq2seq.ts";
import type { SequenceGenerator } from "../../web/lib/models/generator.ts";

const enc = (extra: Partial<EncoderConfig> = {}): EncoderConfig => ({
  input: { vocabSize: 11, embeddingDim: 4 }, cell: "lstm", hiddenSize: 5, numLayers: 2, bidirectional: true, merge: "concat",
  dropout: 0.1, recurrentDropout: 0.1, ...extra,
});

const CONFIGS: [string, ModelConfig, (m: Model) => ArrayLike<number>][] = [
  ["classifier", { type: "classifier", ...enc(), pooling: "max", headDropout: 0.2, classes: 3 }, (m) => (m as SequenceClassifier).forward(tokenBatch([[4, 5, 6], [7]])).data],
  ["tagger", { type: "tagger", ...enc({ input: { features: 2 }, cell: "gru", bidirectional: false }), headDropout: 0, head: "regression", outputs: 1 },
    (m) => (m as SequenceTagger).forward(featureBatch([[[1, 2], [3, 4]]], 2)).out.data],
  ["seq2seq", { type: "seq2seq", encoder: enc({ merge: "sum" }), targetVocabSize: 9, targetEmbeddingDim: 3, attention: "additive", headDropout: 0 },
    (m) => (m as Seq2Seq).forward(tokenBatch([[4, 5, 6]]), teacherForcing([[5, 6]]).input).data],
  ["generator", { type: "generator", conditionSize: 2, decoder: enc({ bidirectional: false, cell: "rnn" }), headDropout: 0 },
    (m) => (m as SequenceGenerator).forward([[1, 0]], teacherForcing([[5, 6, 7]]).input).data],
  ["recurrent", { type: "recurrent", kind: "gru", options: { inputSize: 3, hiddenSize: 4, resetAfter: false } },
    (m) => (m as import("../../web/lib/index.ts").Recurrent).forward({ shape: [2, 1, 3], data: [1, 2, 3, 4, 5, 6] }).output.data],
];

async function engine(): Promise<Engine> {
  return createEngine({ backend: "wasm-simd", seed: 4 });
}

describe("model files", () => {
  it.each(CONFIGS)("%s: save → load → predict is identical", async (_, config, predict) => {
    const e = await engine();
    const model = createModel(e, config);
    model.eval();
    const before = Array.from(predict(model));
    const loaded = loadModel(await engine(), saveModel(model));
    expect(loaded.config).toEqual(configOf(model));
    expect(loaded.card).toBeNull();
    expect(loaded.model.training).toBe(false);
    expect(loaded.model.stateDict()).toEqual(model.stateDict());
    expect(Array.from(predict(loaded.model))).toEqual(before);
  });

  it("a pipeline's model card round-trips with its model, and a model file is accepted as an ArrayBuffer", async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ text: `${i % 2 ? "good" : "bad"} film ${i}`, label: i % 2 ? "pos" : "neg" }));
    const run = PipelineRun.start(await engine(), { kind: "classifier", items, origin: { name: "films.csv" }, options: { epochs: 1, hiddenSize: 4, embeddingDim: 4 } });
    await run.session.run();
    const bytes = run.modelFile();
    const loaded = loadModel(await engine(), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(loaded.card).toEqual({ ...run.card, trained: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(loaded.card!.data).toEqual({ name: "films.csv", items: 40, testFraction: 0.1, seed: 1 });
  });

  it("safetensors round-trips tensors and metadata and aligns the data", () => {
    const bytes = encodeSafetensors({ b: { shape: [2], data: new Float32Array([1.5, -2]) }, a: { shape: [1, 3], data: new Float32Array([0.1, 0.2, 0.3]) } }, { k: "v" });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ k: "v" });
    expect(tensors.a).toEqual({ shape: [1, 3], data: new Float32Array([0.1, 0.2, 0.3]) });
    expect(tensors.b.data).toEqual(new Float32Array([1.5, -2]));
  });

  describe("refuses", () => {
    const valid = async () => saveModel(createModel(await engine(), CONFIGS[4][1]));
    const withHeader = (header: object, data = new Uint8Array(0)) => {
      const json = new TextEncoder().encode(JSON.stringify(header));
      const out = new Uint8Array(8 + json.length + data.length);
      new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
      out.set(json, 8);
      out.set(data, 8 + json.length);
      return out;
    };
    const refuses = async (bytes: Uint8Array, pattern: RegExp) => {
      const e = await engine();
      let error: unknown;
      try {
        loadModel(e, bytes, "model.safetensors");
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(GatedError);
      expect((error as Error).message).toMatch(pattern);
    };

    it("files that are too short, truncated, or not safetensors", async () => {
      const bytes = await valid();
      await refuses(bytes.subarray(0, 5), /model.safetensors is not a valid model file: it has 5 bytes/);
      await refuses(bytes.subarray(0, 60), /its header claims \d+ bytes but the file has 52 after the length/);
      await refuses(bytes.subarray(0, bytes.length - 4), /ends at byte \d+ but the data has \d+ bytes \(truncated file\)/);
      await refuses(new TextEncoder().encode("this is a text file, not a model at all"), /its header claims .* bytes/);
      const garbled = bytes.slice();
      garbled[9] = 0x78; // {"__metadata__" → {x__metadata__"
      await refuses(garbled, /its header is not valid JSON/);
    });

    it("headers that lie about their tensors", async () => {
      const data = new Uint8Array(16);
      await refuses(withHeader({ w: { dtype: "F16", shape: [2], data_offsets: [0, 4] } }, data), /tensor w has dtype F16; only F32 is read/);
      await refuses(withHeader({ w: { dtype: "F32", shape: [2, 2], data_offsets: [0, 12] } }, data), /tensor w spans 12 bytes but its shape \[2, 2\] needs 16/);
      await refuses(withHeader({ w: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, v: { dtype: "F32", shape: [2], data_offsets: [4, 12] } }, data), /overlaps/);
      await refuses(withHeader({ w: { dtype: "F32", shape: [2], data_offsets: [8, 16] } }, data), /gap in the data before tensor w/);
      await refuses(withHeader({ w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }, data), /8 bytes after the last tensor are not part of any tensor/);
      await refuses(withHeader({ w: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, data), /tensor w has an invalid shape/);
    });

    it("safetensors files that are not Gated models, or whose config or weights do not fit", async () => {
      await refuses(withHeader({ __metadata__: { format: "pt" } }), /not a Gated model/);
      await refuses(withHeader({ __metadata__: { format: "gated-model", version: "9", config: "{}" } }), /format version 9; this version of Gated reads 2/);
      await refuses(withHeader({ __metadata__: { format: "gated-model", version: "2", config: "{nope" } }), /config in the metadata is not valid JSON/);
      const badCell = { type: "classifier", ...enc({ cell: "transformer" as never }), pooling: "max", headDropout: 0, classes: 2 };
      await refuses(withHeader({ __metadata__: { format: "gated-model", version: "2", config: JSON.stringify(badCell) } }), /classifier.cell must be one of rnn, lstm, gru, got "transformer"/);
      const { tensors, metadata } = decodeSafetensors(await valid());
      tensors.weight_hh_l0 = { shape: [12, 5], data: new Float32Array(60) };
      await refuses(encodeSafetensors(tensors, metadata), /the weights do not fit the model's config: weight_hh_l0 has shape \[12, 5\], expected \[12, 4\]/);
      delete tensors.weight_hh_l0;
      await refuses(encodeSafetensors(tensors, metadata), /missing weight_hh_l0/);
    });
  });
});

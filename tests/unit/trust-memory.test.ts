// Memory safety with bad input: every kernel that indexes memory by data
// (embedding rows, loss targets, sequence lengths for recurrences, pooling
// and attention) gets its indices checked on the host first, so bad ids,
// labels or lengths on one model are refused with a GatedError naming the
// first bad value and never change a second model's bytes. Disposed layers
// refuse every use; a refused memory request keeps nothing.

import { beforeEach, describe, expect, it } from "vitest";
import { createEngine, type Engine, GatedError } from "../../web/lib/index.ts";
import { createModel, type Model, type ModelConfig } from "../../web/lib/models/create.ts";
import { featureBatch, type SequenceBatch, tokenBatch } from "../../web/lib/models/batch.ts";
import type { SequenceClassifier } from "../../web/lib/models/classifier.ts";
import type { SequenceTagger } from "../../web/lib/models/tagger.ts";
import type { Seq2Seq } from "../../web/lib/models/seq2seq.ts";
import type { SequenceGenerator } from "../../web/lib/models/generator.ts";
import type { EncoderConfig } from "../../web/lib/models/encoder.ts";
import { classificationTask } from "../../web/lib/pipelines/classifier/step.ts";
import { train } from "../../web/lib/training/trainer.ts";
import { refuses } from "../helpers/refuses.ts";

const encoder = (extra: Partial<EncoderConfig> = {}): EncoderConfig => ({
  input: { vocabSize: 12, embeddingDim: 4 }, cell: "gru", hiddenSize: 6, numLayers: 1, bidirectional: true, merge: "concat",
  dropout: 0, recurrentDropout: 0, ...extra,
});
const classifier = (pooling: "last" | "mean" | "max" = "mean", classes = 2): ModelConfig => ({ type: "classifier", ...encoder(), pooling, headDropout: 0, classes });

/** A batch as a user might build it by hand: time-major ids, lengths, T and B. */
function handBatch(T: number, B: number, ids: number[], lengths: number[]): SequenceBatch {
  return { T, B, lengths, ids: Int32Array.from(ids) };
}

describe("bad indices never reach a kernel", () => {
  let engine: Engine;
  let bystander: Model;
  let before: string;

  beforeEach(async () => {
    engine = await createEngine({ backend: "wasm-simd", seed: 1 });
    // The model whose memory must not change: made first, so it sits below the others' buffers.
    bystander = createModel(engine, classifier());
    before = JSON.stringify(bystander.stateDict());
  });

  const untouched = () => expect(JSON.stringify(bystander.stateDict())).toBe(before);

  it("training a classifier on ids outside its vocabulary is refused, and another model keeps every byte", async () => {
    const model = createModel(engine, classifier()) as SequenceClassifier;
    const examples = Array.from({ length: 40 }, (_, i) => ({ ids: [12 + i * 50, 4, 5], label: i % 2 }));
    await expect(train(engine, classificationTask(model), examples, { epochs: 1, batchSize: 8, seed: 1 })).rejects.toThrow(GatedError);
    await expect(train(engine, classificationTask(model), examples, { epochs: 1, batchSize: 8, seed: 1 })).rejects.toThrow(
      /embedding: token 0 of sequence \d+ is \d+; must be an integer from 0 to 11/,
    );
    untouched();
  });

  it("embedding ids: negative, fractional, past the vocabulary, or not a number", () => {
    const model = createModel(engine, classifier()) as SequenceClassifier;
    refuses(() => model.step(tokenBatch([[4, -1]]), [0], true), /token 1 of sequence 0 is -1; must be an integer from 0/);
    refuses(() => model.step(tokenBatch([[4, 2.5]]), [0], true), /token 1 of sequence 0 is 2.5/);
    refuses(() => model.step(tokenBatch([[4, NaN]]), [0], true), /token 1 of sequence 0 is NaN/);
    refuses(() => model.step(tokenBatch([[4, 5], [5, 12]]), [0, 1], true), /embedding: token 1 of sequence 1 is 12; must be an integer from 0 to 11/);
    refuses(() => model.step(handBatch(2, 1, [4, 100000], [2]), [0], true), /token 1 of sequence 0 is 100000/);
    untouched();
  });

  it("labels: at or past the number of classes, negative, fractional, or too few", () => {
    for (const classes of [1, 3]) {
      const model = createModel(engine, classifier("last", classes)) as SequenceClassifier;
      const top = Math.max(1, classes - 1);
      refuses(() => model.step(tokenBatch([[4], [5]]), [0, top + 1], true), new RegExp(`the label of sequence 1 is ${top + 1}; must be an integer from 0 to ${top}`));
      refuses(() => model.step(tokenBatch([[4], [5]]), [-1, 0], true), /the label of sequence 0 is -1/);
      refuses(() => model.step(tokenBatch([[4], [5]]), [0.5, 0], true), /the label of sequence 0 is 0.5/);
      refuses(() => model.step(tokenBatch([[4], [5]]), [0], true), /1 labels for 2 sequences/);
    }
    untouched();
  });

  it("per-step targets of a tagger and a translator; regression targets that do not fit", () => {
    const tagger = createModel(engine, { type: "tagger", ...encoder({ bidirectional: false }), headDropout: 0, head: "softmax", outputs: 5 }) as SequenceTagger;
    refuses(() => tagger.step(tokenBatch([[4, 5]]), [1, 5], true), /cross-entropy: target 1 is 5; must be an integer from 0 to 4 \(or -100 to be ignored\)/);
    refuses(() => tagger.step(tokenBatch([[4, 5]]), [1, 2, 3], true), /3 targets for 2 predictions/);
    const series = createModel(engine, { type: "tagger", ...encoder({ input: { features: 2 }, bidirectional: false }), headDropout: 0, head: "regression", outputs: 1 }) as SequenceTagger;
    refuses(() => series.step(featureBatch([[[1, 2], [3, 4]]], 2), [1], true), /1 targets for 2 predictions/);
    refuses(() => series.step(featureBatch([[[1, 2], [3, 4]]], 2), [1, NaN], true), /targets contains 1 NaN/);
    refuses(() => featureBatch([[[1, 2, 3]]], 2), /step 0 of sequence 0 should have 2 values/);
    // A batch built by hand (or sent by a worker) skips featureBatch's check: its values are checked in engine memory.
    const features = Float32Array.from([1, 2, Infinity, 4, NaN, 6, 7, 8]);
    refuses(() => series.step({ T: 2, B: 2, lengths: [2, 2], features }, [1, 2, 3, 4], true), /batch: the features hold 2 NaN or infinite values/);
    const s2s = createModel(engine, { type: "seq2seq", encoder: encoder(), targetVocabSize: 7, targetEmbeddingDim: 3, attention: "dot", headDropout: 0 }) as Seq2Seq;
    refuses(() => s2s.step([[4, 5]], [[6, 7]], true), /embedding: token 2 of sequence 0 is 7; must be an integer from 0 to 6/);
    refuses(() => s2s.step([[4, 5]], [[6, -3]], true), /token 2 of sequence 0 is -3/);
    refuses(() => s2s.step([[4, 5]], [[6], [5]], true), /1 sources but 2 targets/);
    const gen = createModel(engine, { type: "generator", conditionSize: 2, decoder: encoder({ bidirectional: false }), headDropout: 0 }) as SequenceGenerator;
    refuses(() => gen.step([[1, 0]], [[4], [5]], true), /1 conditions for 2 target sequences/);
    refuses(() => gen.step([[1, NaN]], [[4]], true), /condition 0 holds NaN/);
    untouched();
  });

  it("lengths that pooling, attention or a recurrence would index by: zero, past T, too few, fractional", () => {
    for (const pooling of ["last", "mean", "max"] as const) {
      const model = createModel(engine, classifier(pooling)) as SequenceClassifier;
      refuses(() => model.step(handBatch(2, 2, [4, 5, 6, 7], [2, 3]), [0, 1], true), /batch: the length of sequence 1 is 3; must be an integer from 1 to 2/);
      refuses(() => model.step(handBatch(2, 2, [4, 5, 6, 7], [0, 2]), [0, 1], true), /the length of sequence 0 is 0/);
      refuses(() => model.step(handBatch(2, 2, [4, 5, 6, 7], [1.5, 2]), [0, 1], true), /the length of sequence 0 is 1.5/);
      refuses(() => model.step(handBatch(2, 2, [4, 5, 6, 7], [2]), [0, 1], true), /1 lengths for 2 sequences/);
      refuses(() => model.step(handBatch(2, 2, [4, 5, 6], [2, 2]), [0, 1], true), /expected an Int32Array of T·B = 4 ids/);
    }
    // Kernels called through the layer API with lengths already in engine memory.
    const pool = engine.pool("mean");
    const lstm = engine.lstm({ inputSize: 2, hiddenSize: 3 });
    const x = engine.arena.alloc(4 * 2 * 2 * 3);
    const lengths = engine.arena.alloc(8);
    engine.heap.i32.set([1, 9], lengths >> 2);
    refuses(() => lstm.run(x, 2, 2, { lengths }), /lstm.forward: the length of sequence 1 is 9/);
    const h = lstm.run(x, 2, 2).output;
    refuses(() => pool.forward(h, lengths), /mean pooling: the length of sequence 1 is 9/);
    const attention = engine.attention({ score: "dot", querySize: 3, keySize: 3 });
    refuses(() => attention.forward(h, h, lengths), /attention: the length of sequence 1 is 9/);
    untouched();
  });

  it("an embedding called directly with ids already in memory checks them too", () => {
    const embedding = engine.embedding({ numEmbeddings: 5, embeddingDim: 3 });
    const ids = engine.arena.alloc(16);
    engine.heap.i32.set([0, 4, 5, 1], ids >> 2);
    refuses(() => embedding.forward(ids, 4, [2, 2]), /embedding: token 1 of sequence 0 is 5; must be an integer from 0 to 4/);
    untouched();
  });
});

describe("a disposed layer, model or optimizer refuses every use", () => {
  it("loadStateDict, forward and an optimizer over a disposed layer throw instead of writing into the layer that reuses its memory", async () => {
    const engine = await createEngine({ backend: "wasm-simd", seed: 2 });
    const a = engine.lstm({ inputSize: 3, hiddenSize: 4 });
    const dict = a.stateDict();
    const params = a.parameters();
    const adam = engine.optimizer("adam", params, { lr: 0.1 });
    const where = params[0].value;
    a.dispose();
    const b = engine.lstm({ inputSize: 3, hiddenSize: 4 });
    // b took a's memory: a's pointers now address b's weights.
    expect(b.parameters()[0].value).toBe(where);
    const bBefore = JSON.stringify(b.stateDict());
    refuses(() => a.loadStateDict(dict), /this Recurrent was disposed/);
    refuses(() => a.forward({ shape: [1, 1, 3], data: [1, 2, 3] }), /disposed/);
    refuses(() => a.stateDict(), /disposed/);
    refuses(() => params[0].set(dict.weight_ih_l0), /parameter weight_ih_l0 belongs to a disposed layer or model/);
    refuses(() => params[0].values(), /disposed/);
    refuses(() => adam.step(), /parameter weight_ih_l0 belongs to a disposed layer/);
    refuses(() => engine.clipGradNorm(params, 1), /disposed/);
    expect(JSON.stringify(b.stateDict())).toBe(bBefore);
    a.dispose(); // a second dispose is harmless
    adam.dispose();
    refuses(() => adam.step(), /optimizer was disposed/);
  });

  it("a disposed model refuses prediction, training steps and state dicts; its parameter-free children too", async () => {
    const engine = await createEngine({ backend: "js", seed: 3 });
    const model = createModel(engine, classifier("max")) as SequenceClassifier;
    model.dispose();
    refuses(() => model.predict(tokenBatch([[4, 5]])), /disposed/);
    refuses(() => model.step(tokenBatch([[4, 5]]), [1], true), /disposed/);
    refuses(() => model.parameters(), /this SequenceClassifier was disposed/);
    const pool = engine.pool("max");
    pool.dispose();
    refuses(() => pool.forward({ ptr: 0, shape: [1, 1, 1] } as never), /Pool was disposed/);
  });

  it("a disposed engine refuses new layers and calls of the old ones", async () => {
    const engine = await createEngine({ backend: "wasm", seed: 3 });
    const gru = engine.gru({ inputSize: 2, hiddenSize: 2 });
    engine.dispose();
    refuses(() => engine.gru({ inputSize: 2, hiddenSize: 2 }), /this engine was disposed/);
    refuses(() => gru.forward({ shape: [1, 1, 2], data: [1, 2] }), /this engine was disposed/);
  });
});

describe("a refused memory request keeps nothing", () => {
  it("a layer too big for the limit frees what it took, so a smaller one still fits", async () => {
    const engine = await createEngine({ backend: "wasm-simd", maxMemoryMB: 64, seed: 1 });
    const used = engine.arena.usedBytes;
    refuses(() => engine.lstm({ inputSize: 2000, hiddenSize: 2000 }), /exceeds the engine's limit of 64.0 MiB.*maxMemoryMB \(the CLI's --max-memory\)/);
    expect(engine.arena.usedBytes).toBe(used);
    const small = engine.lstm({ inputSize: 200, hiddenSize: 400 });
    expect(small.parameters().length).toBe(4);
  });

  it("so does a whole model, and an optimizer whose moments do not fit", async () => {
    const engine = await createEngine({ backend: "wasm-simd", maxMemoryMB: 48, seed: 1 });
    const used = engine.arena.usedBytes;
    refuses(() => createModel(engine, { type: "classifier", ...encoder({ input: { vocabSize: 400000, embeddingDim: 32 } }), pooling: "mean", headDropout: 0, classes: 2 }), /exceeds the engine's limit/);
    expect(engine.arena.usedBytes).toBe(used);
    const model = createModel(engine, { type: "classifier", ...encoder({ input: { vocabSize: 150000, embeddingDim: 32 } }), pooling: "mean", headDropout: 0, classes: 2 });
    const withModel = engine.arena.usedBytes;
    refuses(() => engine.optimizer("adam", model.parameters()), /exceeds the engine's limit/);
    expect(engine.arena.usedBytes).toBe(withModel);
    engine.optimizer("sgd", model.parameters());
  });
});

describe("predictions use bounded memory", () => {
  it("classifying and translating thousands of long texts needs no more memory than a batch", async () => {
    const { PipelineRun } = await import("../../web/lib/pipelines/run.ts");
    const words = "good bad fine awful great dull nice".split(" ");
    const long = (i: number) => Array.from({ length: 150 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(" ");
    const engine = await createEngine({ backend: "wasm-simd", seed: 1, maxMemoryMB: 64 });
    const items = Array.from({ length: 40 }, (_, i) => ({ text: long(i), label: i % 2 ? "pos" : "neg" }));
    const run = PipelineRun.start(engine, { kind: "classifier", items, origin: { name: "long" }, options: { epochs: 1, hiddenSize: 32, embeddingDim: 16 } });
    await run.session.run();
    const answers = run.predict({ texts: Array.from({ length: 3000 }, (_, i) => long(i)) }) as unknown[];
    expect(answers).toHaveLength(3000);
  });
});

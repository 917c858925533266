// Data-parallel training over two worker_threads sharing the main engine's
// memory: the combined gradient equals the single-thread gradient of the
// whole batch up to float reassociation, training follows the single-thread
// run, and without shared memory it falls back to one thread and says so.

import { Worker } from "node:worker_threads";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../../web/lib/index.ts";
import { createModel, type ModelConfig } from "../../web/lib/models/create.ts";
import { DataParallel, type Endpoint, nodeWorkerEndpoint } from "../../web/lib/parallel/data-parallel.ts";
import { classificationTask, type LabelledSequence } from "../../web/lib/pipelines/classifier/step.ts";
import { translationTask, type TranslationPair } from "../../web/lib/pipelines/translator/step.ts";
import { train, type Task } from "../../web/lib/training/trainer.ts";
import { Vocabulary } from "../../web/lib/text/vocab.ts";
import { Random } from "../../web/lib/util/random.ts";
import { expectClose } from "../helpers/compare.ts";

/** Workers run web/lib/parallel/node-worker.ts through tsx (the tests run on the TypeScript sources). */
const spawn = (): Endpoint => {
  const worker = new Worker(new URL("../helpers/ts-worker.mjs", import.meta.url), {
    workerData: { script: new URL("../../web/lib/parallel/node-worker.ts", import.meta.url).href },
  });
  return Object.assign(nodeEndpoint(worker), { terminate: () => worker.terminate() }) as Endpoint;
};

const rng = new Random(17);
const sentences: LabelledSequence[] = Array.from({ length: 24 }, (_, i) => ({
  ids: Array.from({ length: 2 + (i % 7) }, () => 4 + Math.floor(rng.next() * 20)),
  label: i % 3,
}));
const classifier: ModelConfig = {
  type: "classifier", input: { vocabSize: 24, embeddingDim: 8 }, cell: "lstm", hiddenSize: 12, numLayers: 2, bidirectional: true,
  merge: "sum", dropout: 0, recurrentDropout: 0, pooling: "mean", headDropout: 0, classes: 3,
};
const pairs: TranslationPair[] = Array.from({ length: 10 }, (_, i) => ({
  source: Array.from({ length: 2 + (i % 5) }, (_, j) => 4 + ((i + j) % 12)),
  target: Array.from({ length: 1 + (i % 4) }, (_, j) => 4 + ((2 * i + j) % 10)),
}));
const seq2seq: ModelConfig = {
  type: "seq2seq",
  encoder: { input: { vocabSize: 16, embeddingDim: 6 }, cell: "gru", hiddenSize: 8, numLayers: 1, bidirectional: true, merge: "concat", dropout: 0, recurrentDropout: 0 },
  targetVocabSize: 14, targetEmbeddingDim: 6, attention: "additive", headDropout: 0,
};

async function setup(config: ModelConfig, shared = true) {
  const engine: Engine = await createEngine({ backend: "wasm-simd", shared, seed: 2 });
  const model = createModel(engine, config);
  const task = (config.type === "classifier" ? classificationTask(model as never) : translationTask(model as never, new Vocabulary(["<pad>", "<unk>", "<s>", "</s>"]))) as Task<unknown>;
  return { engine, model, task };
}

const gradients = (m: { namedParameters(): [string, { gradient(): { data: ArrayLike<number> } }][] }) =>
  Object.fromEntries(m.namedParameters().map(([n, p]) => [n, Array.from(p.gradient().data)]));

describe("data-parallel training", () => {
  it.each([
    ["classifier (2-layer bidirectional LSTM)", classifier, sentences],
    ["seq2seq (additive attention)", seq2seq, pairs],
  ] as const)("two workers give the whole batch's gradient: %s", async (_, config, examples) => {
    const { engine, model, task } = await setup(config);
    model.zeroGrad();
    const single = task.step([...examples] as unknown[], true);
    const expected = gradients(model);
    const dp = await DataParallel.create(engine, model, { workers: 2, spawn });
    try {
      expect(dp.threads).toBe(2);
      const r = await dp.step(dp.split([...examples] as unknown[]).map((part) => task.payload!(part)));
      expect(r.count).toBe(single.count);
      expect(r.loss).toBeCloseTo(single.loss, 5);
      const got = gradients(model);
      for (const [name, g] of Object.entries(expected)) expectClose(got[name], g, { abs: 1e-6, rel: 1e-4 }, name);
    } finally {
      await dp.dispose();
    }
  });

  it("two workers evaluate a batch as one thread does, forward only, leaving the gradients alone", async () => {
    const { engine, model, task } = await setup(classifier);
    model.train(false);
    const single = task.step([...sentences] as unknown[], false);
    model.zeroGrad();
    const dp = await DataParallel.create(engine, model, { workers: 2, spawn });
    try {
      const r = await dp.evaluate(dp.split([...sentences] as unknown[]).map((part) => task.payload!(part)));
      expect(r.count).toBe(single.count);
      expect(r.correct).toBe(single.correct);
      expect(r.loss).toBeCloseTo(single.loss, 5);
      for (const g of Object.values(gradients(model))) expect(g.every((v) => v === 0)).toBe(true);
    } finally {
      await dp.dispose();
    }
  });

  it("training with two workers follows training on one thread", async () => {
    const runs = [];
    for (const workers of [0, 2]) {
      const { engine, model, task } = await setup(classifier);
      const dp = workers ? await DataParallel.create(engine, model, { workers, spawn }) : undefined;
      const r = await train(engine, task, sentences, { epochs: 3, batchSize: 8, seed: 5, parallel: dp, optimizerOptions: { lr: 0.01 } });
      runs.push({ losses: r.history.map((h) => h.trainLoss), weights: model.stateDict() });
      await dp?.dispose();
    }
    runs[1].losses.forEach((l, i) => expect(l).toBeCloseTo(runs[0].losses[i], 4));
    for (const [name, w] of Object.entries(runs[0].weights)) expectClose(runs[1].weights[name].data, w.data, { abs: 1e-4, rel: 1e-3 }, name);
  });

  it("falls back to one thread, and says why, when the memory is not shared", async () => {
    const { engine, model, task } = await setup(classifier, false);
    const dp = await DataParallel.create(engine, model, { workers: 2, spawn });
    expect(dp.threads).toBe(1);
    expect(dp.reason).toBe("this engine's memory is not shared (it was created with shared: false), so training runs on one thread");
    model.zeroGrad();
    const single = task.step([...sentences], true);
    const expected = gradients(model);
    const r = await dp.step(dp.split([...sentences]).map((p) => task.payload!(p)));
    expect(r.loss).toBe(single.loss);
    for (const [name, g] of Object.entries(expected)) expectClose(gradients(model)[name], g, { abs: 1e-6, rel: 1e-5 }, name);
    await dp.dispose();
  });

  it("a worker that fails to load is refused with a GatedError naming it and the cause, not waited for", async () => {
    const { engine, model } = await setup(classifier, true);
    const used = engine.arena.usedBytes;
    const broken = new URL(`data:text/javascript,${encodeURIComponent('throw new Error("cannot load the engine here")')}`);
    const t = performance.now();
    await expect(DataParallel.create(engine, model, { workers: 2, spawn: () => nodeWorkerEndpoint(broken) })).rejects.toThrow(/data-parallel worker 1 failed: cannot load the engine here/);
    // Told by the worker's own error event, long before any timeout could have fired.
    expect(performance.now() - t).toBeLessThan(10_000);
    expect(engine.arena.usedBytes).toBe(used);
  });
});

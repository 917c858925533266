// What a bad-input probe of the library found, one test each: work that was
// lost, answers that were silently wrong, memory a refusal kept, and other
// exceptions than GatedError for arguments of the wrong kind.

import { Worker } from "node:worker_threads";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { describe, expect, it } from "vitest";
import type { Endpoint } from "../../web/lib/parallel/data-parallel.ts";
import {
  classificationTask, createEngine, createModel, loadModel, predictWith, Random, DataParallel, GatedError, PipelineRun, TrainingService, createTokenizer, train, tokenBatch, parseLabelledText,
  type ClassifierConfig, type LabelledText,
} from "../../web/lib/index.ts";
import { decodeSafetensors, encodeSafetensors } from "../../web/lib/persist/safetensors.ts";
import { parseLines, parseNumericSeries } from "../../web/lib/data/formats.ts";
import { nodePresetItems } from "../../web/lib/data/node-datasets.ts";
import { refuses } from "../helpers/refuses.ts";

const reviews = (n: number, labels = ["pos", "neg"]): LabelledText[] =>
  Array.from({ length: n }, (_, i) => ({ text: `${i % 2 ? "great" : "awful"} film number ${i % 50}`, label: labels[i % labels.length] }));

/** Real workers running the TypeScript sources (through tsx), as in data-parallel.test.ts. */
const spawn = (): Endpoint => {
  const worker = new Worker(new URL("../helpers/ts-worker.mjs", import.meta.url), { workerData: { script: new URL("../../web/lib/parallel/node-worker.ts", import.meta.url).href } });
  return Object.assign(nodeEndpoint(worker), { terminate: () => worker.terminate() }) as Endpoint;
};

const small = { epochs: 1, hiddenSize: 8, embeddingDim: 8, batchSize: 64, bidirectional: false };

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(GatedError);
  expect((error as Error).message).toMatch(pattern);
}

describe("work is never lost", () => {
  it("a held-out part of more than 10,000 texts is scored in full (only a caller's request is capped)", async () => {
    const engine = await createEngine({ seed: 1 });
    const run = PipelineRun.start(engine, { kind: "classifier", items: reviews(22_000), origin: { name: "big.csv" }, options: small, testFraction: 0.5 });
    await run.session.run();
    const e = run.evaluate();
    expect(e.count).toBe(11_000);
    expect(e.confusion!.counts.flat().reduce((a, b) => a + b, 0)).toBe(11_000);
    refuses(() => run.predict({ texts: Array(10_001).fill("great") }), /the number of texts must be an integer from 1 to 10000/);
    // Its file holds the model that was trained: loaded back, it gives the same answers.
    const loaded = loadModel(await createEngine({ seed: 1 }), run.modelFile());
    const texts = ["great", "a terrible film"];
    expect(predictWith(loaded.model, loaded.card!, { texts }, new Random(1))).toEqual(run.predict({ texts }));
  });

  it("a label found only in the held-out part is counted as a mistake, with a note, not a refusal after training", async () => {
    const engine = await createEngine({ seed: 1 });
    const items = [...reviews(200), { text: "a strange film", label: "odd" }];
    // Find a seed whose split puts the one "odd" text in the held-out part.
    let run: PipelineRun | undefined;
    for (let seed = 1; !run; seed++) {
      const r = PipelineRun.start(engine, { kind: "classifier", items, origin: { name: "odd.csv" }, options: { ...small, seed } });
      if ((r.split.test as LabelledText[]).some((t) => t.label === "odd")) run = r;
      else r.dispose();
    }
    await run.session.run();
    const e = run.evaluate();
    expect(e.confusion!.labels).toEqual(["neg", "pos", "odd"]);
    expect(e.confusion!.counts[2].reduce((a, b) => a + b, 0)).toBe(1);
    expect(e.note).toMatch(/1 text had a label the model never saw in training \(odd\); they count as mistakes/);
  });

  it("a run without an origin, or with misspelt options, is refused before it trains", async () => {
    const engine = await createEngine({ seed: 1 });
    refuses(() => PipelineRun.start(engine, { kind: "classifier", items: reviews(40) } as never), /a run needs origin: \{ name \} naming its data/);
    refuses(() => PipelineRun.start(engine, { kind: "classifier", items: reviews(40), origin: { name: "x" }, testFracton: 0.2 } as never), /unknown key "testFracton"/);
    refuses(() => PipelineRun.start(engine, { kind: "classifier", items: ["a", "b"], origin: { name: "x" } }), /text classification data: item 0 is not \{ text: string, label: string \}/);
  });
});

describe("answers are never silently wrong", () => {
  it("an optimizer, clipping or DataParallel given another engine's parameters is refused, and nothing of either engine changes", async () => {
    const a = await createEngine({ seed: 1 });
    const b = await createEngine({ seed: 2 });
    const la = a.lstm({ inputSize: 3, hiddenSize: 4 });
    const lb = b.lstm({ inputSize: 3, hiddenSize: 4 });
    const before = [la.stateDict(), lb.stateDict()];
    refuses(() => b.optimizer("adam", la.parameters()), /parameter weight_ih_l0 belongs to another engine/);
    refuses(() => b.clipGradNorm(la.parameters(), 1), /clipGradNorm.*belongs to another engine/);
    refuses(() => b.clipGradValue(la.parameters(), 1), /clipGradValue.*belongs to another engine/);
    refuses(() => b.optimizer("sgd", [{} as never]), /parameters\[0\] is not a Parameter/);
    const model = createModel(a, { type: "classifier", input: { vocabSize: 10, embeddingDim: 4 }, cell: "gru", hiddenSize: 4, numLayers: 1, bidirectional: false, merge: "concat", dropout: 0, recurrentDropout: 0, pooling: "last", headDropout: 0, classes: 2 } as ClassifierConfig);
    await rejects(DataParallel.create(b, model, { workers: 2, spawn }), /DataParallel.create: parameter .* belongs to another engine/);
    expect([la.stateDict(), lb.stateDict()]).toEqual(before);
  });

  it("a second train() of a model while one runs is refused; the first ends as it would alone", async () => {
    const engine = await createEngine({ seed: 1 });
    const config = { type: "classifier", input: { vocabSize: 20, embeddingDim: 4 }, cell: "gru", hiddenSize: 4, numLayers: 1, bidirectional: false, merge: "concat", dropout: 0, recurrentDropout: 0, pooling: "last", headDropout: 0, classes: 2 } as ClassifierConfig;
    const model = createModel(engine, config);
    const examples = Array.from({ length: 64 }, (_, i) => ({ ids: [1 + (i % 5), 2 + (i % 7)], label: i % 2 }));
    const task = classificationTask(model as never);
    const first = train(engine, task, examples, { epochs: 2, batchSize: 8, seed: 3 });
    await rejects(train(engine, task, examples, { epochs: 1, batchSize: 8, seed: 4 }), /this model is being trained by another session/);
    const done = await first;
    expect(done.history.length).toBe(2);
    // Once the first has ended, the model can be trained again.
    await expect(train(engine, task, examples, { epochs: 1, batchSize: 8, seed: 4 })).resolves.toBeDefined();
  });

  it("a model trained further keeps its card's held-out split whatever seed the new run has", async () => {
    const engine = await createEngine({ seed: 1 });
    const items = reviews(200);
    const run = PipelineRun.start(engine, { kind: "classifier", items, origin: { name: "r.csv" }, options: { ...small, seed: 1 }, testFraction: 0.1 });
    await run.session.run();
    const more = PipelineRun.continue(engine, run.modelFile(), { items, origin: { name: "r.csv" }, options: { epochs: 1, seed: 7 } });
    expect(more.split.test).toEqual(run.split.test);
    expect(more.card.data.seed).toBe(1);
    refuses(() => PipelineRun.continue(engine, run.modelFile(), { items, origin: { name: "r.csv" }, testFraction: 0.3 }), /a model trained further keeps that split/);
  });

  it("a series' default column is the numeric one even when a cell is blank (refused by its line), never another column", () => {
    const csv = "month,ppm\n1,315.2\n2,\n3,316.1\n4,316.5\n";
    refuses(() => parseNumericSeries(csv), /line 3: "" in column ppm is not a number/);
    const blankFirst = "month,ppm\n1,n/a\n2,315.2\n3,316.1\n4,316.5\n";
    refuses(() => parseNumericSeries(blankFirst), /line 2: "n\/a" in column ppm is not a number/);
    expect(parseNumericSeries("month,ppm\n1,315.2\n2,316\n").column).toBe("ppm");
  });

  it("the card records the column a series was read from, the default one too", async () => {
    const service = new TrainingService();
    const text = ["month,value", ...Array.from({ length: 80 }, (_, i) => `${i},${Math.sin(i / 3).toFixed(3)}`)].join("\n");
    const info = await service.start({ kind: "forecaster", file: { name: "s.csv", text }, options: { epochs: 1, hiddenSize: 4, window: 6 } });
    expect(info.card.data.column).toBe("value");
  });

  it("unknown keys and wrong types are refused: forward options, engine options, requests, jobs, preset settings", async () => {
    const engine = await createEngine({ seed: 1 });
    const lstm = engine.lstm({ inputSize: 1, hiddenSize: 2 });
    refuses(() => lstm.forward({ shape: [2, 1, 1], data: [1, 2] }, { lenghts: [2] } as never), /lstm.forward's options has unknown key "lenghts"/);
    await rejects(createEngine({ backnd: "js" } as never), /createEngine's options has unknown key "backnd"/);
    await rejects(createEngine(null as never), /createEngine's options must be an object, got null/);
    const run = PipelineRun.start(engine, { kind: "classifier", items: reviews(60), origin: { name: "r" }, options: small });
    refuses(() => run.predict({ texts: ["great"], maxLength: 3 }), /a classify request has unknown key "maxLength"/);
    refuses(() => run.predict({ texts: "great" }), /needs texts: an array of strings/);
    refuses(() => run.predict({ texts: ["great"], steps: "yes" }), /steps must be true or false/);
    const service = new TrainingService({ loadPreset: (p, s, seed) => nodePresetItems(p, s, seed) });
    await rejects(service.start({ preset: "sentiment", limt: 10 } as never), /a training job has unknown key "limt"/);
    await rejects(service.start({ preset: "sentiment", settings: { dataset: "imdbx" } as never }), /dataset must be one of uci, imdb, got "imdbx"/);
    await rejects(service.start({ preset: "sentiment", settings: { limit: -1 } }), /limit must be an integer from 1 to 10000000, got -1/);
    await rejects(service.start({ preset: "names", parameterNorms: "yes" } as never), /parameterNorms must be true or false/);
  });

  it("a checkpoint resumed with other held-out items, or whose options contradict its model, is refused", async () => {
    const engine = await createEngine({ seed: 1 });
    const items = reviews(100);
    const run = PipelineRun.start(engine, { kind: "classifier", items, origin: { name: "r.csv" }, options: small });
    await run.session.run({ batches: 1 });
    const bytes = run.checkpoint();
    const test = run.split.test as LabelledText[];
    const changed = items.map((x) => (x === test[0] ? { ...x, text: `${x.text} changed` } : x));
    refuses(() => PipelineRun.resume(engine, bytes, changed), /the held-out part of this data differs/);
    refuses(() => PipelineRun.resume(engine, bytes, ["a", "b"]), /item 0 is not \{ text: string, label: string \}/);
    const { tensors, metadata } = decodeSafetensors(bytes);
    const options = { ...JSON.parse(metadata.options), hiddenSize: 64 };
    const edited = encodeSafetensors(tensors, { ...metadata, options: JSON.stringify(options) });
    refuses(() => PipelineRun.resume(engine, edited, items), /its options contradict its model \(hiddenSize 64 against 8\)/);
    expect(PipelineRun.resume(engine, bytes, items).session.info().batch).toBe(1);
  });
});

describe("a refusal keeps nothing", () => {
  it("a refused forward gives back what it took, so a smaller one then fits", async () => {
    const engine = await createEngine({ seed: 1, maxMemoryMB: 64 });
    const lstm = engine.lstm({ inputSize: 64, hiddenSize: 64 });
    const used = engine.arena.usedBytes;
    const big = { shape: [1000, 64, 64], data: new Float32Array(1000 * 64 * 64) };
    refuses(() => lstm.forward(big), /exceeds the engine's limit/);
    expect(engine.arena.usedBytes).toBe(used);
    const smaller = { shape: [100, 64, 64], data: new Float32Array(100 * 64 * 64) };
    expect(lstm.forward(smaller).output.shape).toEqual([100, 64, 64]);
  });

  it("a refused DataParallel.create gives back every region it reserved", async () => {
    const engine = await createEngine({ seed: 1, maxMemoryMB: 256 });
    const model = createModel(engine, { type: "classifier", input: { vocabSize: 10, embeddingDim: 4 }, cell: "gru", hiddenSize: 4, numLayers: 1, bidirectional: false, merge: "concat", dropout: 0, recurrentDropout: 0, pooling: "last", headDropout: 0, classes: 2 } as ClassifierConfig);
    const used = engine.arena.usedBytes;
    await rejects(DataParallel.create(engine, model, { workers: 8, regionMB: 64, spawn }), /exceeds the engine's limit/);
    expect(engine.arena.usedBytes).toBe(used);
    await rejects(DataParallel.create(engine, model, { workers: 1000 }), /workers must be an integer from 1 to 256/);
  });

  it("a long text is cut while it is tokenized: the tokens kept are the first ones, and no more are made", () => {
    const word = createTokenizer("word");
    const long = "word ".repeat(1_000_000);
    expect(word.tokenize(long, 3)).toEqual(["word", "word", "word"]);
    expect(createTokenizer("char").tokenize("abcdef", 2)).toEqual(["a", "b"]);
    expect(word.tokenize("a b", 0)).toEqual([]);
  });
});

describe("wrong argument types get a GatedError", () => {
  it("across the public API", async () => {
    const engine = await createEngine({ seed: 1 });
    refuses(() => engine.parameter("q", "abc" as never), /parameter q: the shape must be an array of positive integers/);
    refuses(() => engine.parameter(5 as never, [2]), /a parameter's name must be a string/);
    await rejects(createEngine({ attach: { memory: {} as never, region: { base: 0, bytes: 10 } } }), /attach must be \{ memory: WebAssembly.Memory/);
    const { saveModel } = await import("../../web/lib/index.ts");
    refuses(() => saveModel({} as never), /expected a model or layer of this library/);
    refuses(() => engine.optimizer("adam", [], "fast" as never), /adam: options must be an object/);
    refuses(() => engine.embedding(null as never), /embedding's options must be an object, got null/);
    refuses(() => engine.linear({ inFeatures: 2, outFeature: 3 } as never), /linear's options has unknown key "outFeature"/);
    refuses(() => tokenBatch("x" as never), /a batch is an array of sequences of token ids/);
    refuses(() => parseLabelledText(5 as never, { source: "f.csv" }), /f.csv: the contents must be text \(a string\), got number/);
    refuses(() => parseLines(null as never), /file: the contents must be text/);
    await rejects(DataParallel.create(engine, null as never), /DataParallel.create needs a model of this library/);
    const lstm = engine.lstm({ inputSize: 1, hiddenSize: 2 });
    const opt = engine.optimizer("adam", lstm.parameters());
    engine.dispose();
    refuses(() => opt.step(), /this engine was disposed/);
    const big = Array.from({ length: 40 }, (_, i) => (i % 2 ? 1e308 : -1e308));
    const e2 = await createEngine({ seed: 1 });
    refuses(() => PipelineRun.start(e2, { kind: "forecaster", items: big, origin: { name: "big.csv" }, options: { window: 4 } }), /too large to learn from/);
  });
});

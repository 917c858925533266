// Each pipeline learns a small real task in seconds, judged on held-out data
// through its own evaluation: a character language model of dinosaur names
// (also with truncated BPTT), a classifier of the UCI sentences, a generator
// of first names by gender, and a forecaster of the CO₂ series; and an
// attention seq2seq reverses digit strings.

import { describe, expect, it } from "vitest";
import { createEngine } from "../../web/lib/index.ts";
import { Seq2Seq } from "../../web/lib/models/seq2seq.ts";
import { PipelineRun } from "../../web/lib/pipelines/run.ts";
import type { Evaluation } from "../../web/lib/pipelines/pipeline.ts";
import { translationTask } from "../../web/lib/pipelines/translator/step.ts";
import { evaluate, train } from "../../web/lib/training/trainer.ts";
import { split } from "../../web/lib/training/batches.ts";
import { Vocabulary } from "../../web/lib/text/vocab.ts";
import { Random } from "../../web/lib/util/random.ts";
import { co2Series, dinosaurNames, firstNames, labelledSentences } from "../../web/lib/data/node-datasets.ts";

const engine = () => createEngine({ backend: "wasm-simd", seed: 11 });
const metric = (e: Evaluation, key: string) => [...e.metrics, ...e.baselines].find((m) => m.key === key)!.value;

/** Entropy (nats per character) of the characters and the end of each name: what a model that ignores context scores. */
function unigramEntropy(names: string[]): number {
  const counts = new Map<string, number>();
  let total = 0;
  for (const n of names) for (const c of [...n, "</s>"]) (counts.set(c, (counts.get(c) ?? 0) + 1), total++);
  let h = 0;
  for (const c of counts.values()) h -= (c / total) * Math.log(c / total);
  return h;
}

async function trained(kind: Parameters<typeof PipelineRun.start>[1]["kind"], items: unknown, options: Record<string, unknown>, testFraction?: number) {
  const run = PipelineRun.start(await engine(), { kind, items, origin: { name: kind }, options, testFraction });
  await run.session.run();
  return run;
}

describe("learning", () => {
  it.each([["full BPTT", 0], ["truncated BPTT (chunks of 4 steps)", 4]] as const)(
    "a character language model of dinosaur names (%s) beats the unigram baseline and invents new names",
    async (_, tbptt) => {
      const names = dinosaurNames();
      const run = await trained("language-model", names, { epochs: 12, lr: 0.005, patience: 12, validationSplit: 0, tbptt });
      const e = run.evaluate();
      expect(Math.log(metric(e, "perplexity"))).toBeLessThan(0.7 * unigramEntropy(run.split.train as string[]));
      expect(metric(e, "novel")).toBeGreaterThanOrEqual(0.9);
      // Predictions through the run mark each sample against the data; a cold sampler repeats some names it read.
      const samples = run.predict({ count: 60, temperature: 0.3 }) as { text: string; novel: boolean }[];
      const known = new Set(names.map((n) => n.toLowerCase()));
      for (const s of samples) expect(s.novel).toBe(!known.has(s.text));
      expect(samples.some((s) => !s.novel)).toBe(true);
    },
    60_000,
  );

  it("a sentiment classifier beats chance clearly on held-out UCI sentences, and reports a confusion matrix", async () => {
    const run = await trained("classifier", labelledSentences(), { epochs: 8, patience: 2 }, 0.1);
    const e = run.evaluate();
    expect(metric(e, "accuracy")).toBeGreaterThan(0.72);
    expect(e.count).toBe(300);
    expect(e.confusion!.counts.flat().reduce((a, b) => a + b, 0)).toBe(300);
    expect(e.confusion!.counts[0][0] + e.confusion!.counts[1][1]).toBe(Math.round(metric(e, "accuracy") * 300));
  }, 60_000);

  it("an attention encoder–decoder learns to reverse digit strings (≥ 95% held-out exact match, greedy and beam)", async () => {
    const rng = new Random(3);
    const pairs = Array.from({ length: 3000 }, () => {
      const s = Array.from({ length: 3 + Math.floor(rng.next() * 6) }, () => 4 + Math.floor(rng.next() * 10));
      return { source: s, target: [...s].reverse() };
    });
    const { train: tr, validation: test } = split(pairs, 0.1, 1);
    const vocab = new Vocabulary(["<pad>", "<unk>", "<s>", "</s>", ..."0123456789"]);
    const e = await engine();
    const model = new Seq2Seq(e, {
      type: "seq2seq",
      encoder: { input: { vocabSize: vocab.size, embeddingDim: 32 }, cell: "gru", hiddenSize: 48, numLayers: 1, bidirectional: true, merge: "concat", dropout: 0, recurrentDropout: 0 },
      targetVocabSize: vocab.size, targetEmbeddingDim: 32, attention: "dot", headDropout: 0,
    });
    const task = translationTask(model, vocab);
    await train(e, task, tr, {
      epochs: 12, batchSize: 32, optimizerOptions: { lr: 0.005 }, schedule: { type: "cosine", minLr: 0.0005 }, clipNorm: 1, seed: 1,
    });
    expect(task.evaluate!(test).exactMatch).toBeGreaterThanOrEqual(0.95);
    const beamRight = test.slice(0, 40).filter((p) => model.beamSearch(p.source, { beam: 3 }).ids.join() === p.target.join()).length;
    expect(beamRight).toBeGreaterThanOrEqual(38);
    // Attention is exposed: each output step's weights sum to one over the source.
    const t = model.translate([test[0].source])[0];
    expect(t.attention.length).toBe(t.ids.length);
    for (const row of t.attention) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  }, 60_000);

  it("a one-to-many generator learns first names by gender: held-out names score better under their own gender", async () => {
    const { male, female } = firstNames();
    const data = [...male.map((t) => ({ text: t, label: "male" })), ...female.map((t) => ({ text: t, label: "female" }))];
    const run = await trained("generator", data, { epochs: 6, batchSize: 64, lr: 0.005, seed: 3 });
    const test = run.split.test as typeof data;
    const held = run.pipeline.examples(run.card, test, run.options).train;
    const swapped = held.map((h: { condition: number[]; ids: number[] }) => ({ ...h, condition: [...h.condition].reverse() }));
    const task = run.pipeline.task(run.model, run.card, run.options);
    expect(evaluate(task, held, 128).validationLoss!).toBeLessThan(evaluate(task, swapped, 128).validationLoss! - 0.05);
    expect(metric(run.evaluate(), "novel")).toBeGreaterThan(0.5);
  }, 60_000);

  it("a forecaster of monthly CO₂ beats repeating last month's change on the held-out last years", async () => {
    const run = await trained("forecaster", co2Series(), { epochs: 20, patience: 20, seed: 4 });
    const e = run.evaluate();
    expect(e.count).toBe(148);
    expect(metric(e, "rmse")).toBeLessThan(0.7 * metric(e, "naive"));
    // The chart data: the one-step predictions follow the truth more closely than the naive forecast.
    const err = (xs: number[]) => Math.sqrt(xs.reduce((a, x, i) => a + (x - e.series!.actual[i]) ** 2, 0) / xs.length);
    expect(err(e.series!.predicted)).toBeCloseTo(metric(e, "rmse"), 4);
    expect(err(e.series!.naive)).toBeCloseTo(metric(e, "naive"), 4);
  }, 60_000);
});

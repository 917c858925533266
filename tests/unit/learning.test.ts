// Each model family learns a small real or classic task in seconds, judged on
// held-out data: a character language model of dinosaur names (also with
// truncated BPTT), a classifier of the UCI sentences, an attention seq2seq
// that reverses digit strings, a generator of first names by gender, and a
// forecaster of the CO₂ series.

import { describe, expect, it } from "vitest";
import { createEngine } from "../../web/lib/index.ts";
import { createModel } from "../../web/lib/models/create.ts";
import type { SequenceTagger } from "../../web/lib/models/tagger.ts";
import type { SequenceClassifier } from "../../web/lib/models/classifier.ts";
import { Seq2Seq } from "../../web/lib/models/seq2seq.ts";
import type { SequenceGenerator } from "../../web/lib/models/generator.ts";
import { generateTexts, prepareLanguageModel } from "../../web/lib/pipelines/language-model.ts";
import { classifyTexts, prepareClassifier } from "../../web/lib/pipelines/text-classifier.ts";
import { prepareGenerator } from "../../web/lib/pipelines/conditional-generator.ts";
import { prepareForecaster } from "../../web/lib/pipelines/forecaster.ts";
import { languageModelTask } from "../../web/lib/tasks/language-model.ts";
import { classificationTask } from "../../web/lib/tasks/classification.ts";
import { translationTask } from "../../web/lib/tasks/translation.ts";
import { generationTask } from "../../web/lib/tasks/generation.ts";
import { regressionTask } from "../../web/lib/tasks/regression.ts";
import { evaluate, train } from "../../web/lib/training/trainer.ts";
import { split } from "../../web/lib/training/batches.ts";
import { Vocabulary } from "../../web/lib/text/vocab.ts";
import { Random } from "../../web/lib/util/random.ts";
import { co2Series, dinosaurNames, firstNames, labelledSentences } from "../../web/cli/datasets.ts";

const engine = () => createEngine({ backend: "wasm-simd", seed: 11 });

/** Entropy (nats per token) of the unigram distribution of the targets: what a model that ignores context scores. */
function unigramEntropy(sequences: number[][]): number {
  const counts = new Map<number, number>();
  let total = 0;
  for (const s of sequences) for (const id of [...s, 3]) (counts.set(id, (counts.get(id) ?? 0) + 1), total++);
  let h = 0;
  for (const c of counts.values()) h -= (c / total) * Math.log(c / total);
  return h;
}

describe("learning", () => {
  it.each([["full BPTT", undefined], ["truncated BPTT (chunks of 4 steps)", 4]] as const)(
    "a character language model of dinosaur names (%s) beats the unigram baseline and invents new names",
    async (_, tbptt) => {
      const names = dinosaurNames();
      const { train: trainNames, validation: heldOut } = split(names, 0.1, 3);
      const { extras, examples, config } = prepareLanguageModel(trainNames);
      const e = await engine();
      const model = createModel(e, config) as SequenceTagger;
      const task = languageModelTask(model, { tbptt });
      await train(e, task, examples, { epochs: 12, batchSize: 32, optimizerOptions: { lr: 0.005 }, clipNorm: 1, seed: 1 });
      const vocab = new Vocabulary(extras.vocab);
      const heldOutIds = heldOut.map((n) => vocab.encode([...n]));
      const loss = evaluate(task, heldOutIds, 64).validationLoss!;
      expect(loss).toBeLessThan(0.7 * unigramEntropy(examples));
      const samples = generateTexts(model, extras, 100, new Random(4));
      const known = new Set(names);
      expect(samples.filter((s) => !known.has(s)).length).toBeGreaterThanOrEqual(90);
    },
    60_000,
  );

  it("a sentiment classifier beats chance clearly on held-out UCI sentences", async () => {
    const { train: tr, validation: test } = split(labelledSentences(), 0.2, 5);
    const { extras, examples, config } = prepareClassifier(tr);
    const e = await engine();
    const model = createModel(e, config) as SequenceClassifier;
    await train(e, classificationTask(model), examples, {
      epochs: 8, batchSize: 32, optimizerOptions: { lr: 0.003 }, clipNorm: 1, validationSplit: 0.1, earlyStopping: { patience: 2 }, seed: 2,
    });
    const predicted = classifyTexts(model, extras, test.map((t) => t.text));
    const accuracy = predicted.filter((p, i) => p.label === test[i].label).length / test.length;
    expect(accuracy).toBeGreaterThan(0.72);
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
    const { train: tr, validation: test } = split(data, 0.1, 8);
    const { extras, examples, config } = prepareGenerator(tr);
    const e = await engine();
    const model = createModel(e, config) as SequenceGenerator;
    const task = generationTask(model);
    await train(e, task, examples, { epochs: 6, batchSize: 64, optimizerOptions: { lr: 0.005 }, clipNorm: 1, seed: 3 });
    const vocab = new Vocabulary(extras.vocab);
    const held = test.map((d) => ({ ids: vocab.encode([...d.text.toLowerCase()]), label: d.label }));
    const scored = (swap: boolean) =>
      evaluate(task, held.map((h) => ({ ids: h.ids, condition: extras.conditions.map((c) => ((c === h.label) !== swap ? 1 : 0)) })), 128).validationLoss!;
    expect(scored(false)).toBeLessThan(scored(true) - 0.05);
  }, 60_000);

  it("a forecaster of monthly CO₂ beats repeating last month's change on the held-out last years", async () => {
    const { extras, train: tr, validation, config } = prepareForecaster(co2Series());
    const e = await engine();
    const model = createModel(e, config) as SequenceTagger;
    const task = regressionTask(model);
    await train(e, task, tr, { epochs: 20, batchSize: 16, optimizerOptions: { lr: 0.005 }, clipNorm: 1, seed: 4 });
    const mse = evaluate(task, validation, 64).validationLoss!;
    // The naive forecast's squared error on the same standardised targets.
    let naive = 0, n = 0;
    for (const w of validation) for (let t = 0; t < w.targets.length; t++) (naive += (w.inputs[t][0] - w.targets[t][0]) ** 2, n++);
    expect(mse).toBeLessThan(0.5 * (naive / n));
    expect(extras.window).toBe(24);
  }, 60_000);
});

// Turning items into a training job for each pipeline (examples, model
// config, task, training defaults), and scoring a trained model on held-out
// items: accuracy, perplexity and novelty, exact match and BLEU, RMSE.

import { GatedError } from "../lib/errors.ts";
import type { Model, ModelConfig } from "../lib/models/create.ts";
import type { SequenceClassifier } from "../lib/models/classifier.ts";
import type { SequenceTagger } from "../lib/models/tagger.ts";
import type { Seq2Seq } from "../lib/models/seq2seq.ts";
import type { SequenceGenerator } from "../lib/models/generator.ts";
import { featureBatch } from "../lib/models/batch.ts";
import { type ClassifierExtras, type ClassifierOptions, classifyTexts, prepareClassifier } from "../lib/pipelines/text-classifier.ts";
import { generateTexts, type LanguageModelExtras, type LanguageModelOptions, prepareLanguageModel } from "../lib/pipelines/language-model.ts";
import { prepareTranslator, translateTexts, type TranslatorExtras, type TranslatorOptions } from "../lib/pipelines/translator.ts";
import { type ForecasterExtras, type ForecasterOptions, prepareForecaster } from "../lib/pipelines/forecaster.ts";
import { generateFor, type GeneratorExtras, prepareGenerator } from "../lib/pipelines/conditional-generator.ts";
import { classificationTask } from "../lib/tasks/classification.ts";
import { languageModelTask } from "../lib/tasks/language-model.ts";
import { translationTask } from "../lib/tasks/translation.ts";
import { regressionTask, type SeriesExample } from "../lib/tasks/regression.ts";
import { generationTask } from "../lib/tasks/generation.ts";
import { evaluate, type Task } from "../lib/training/trainer.ts";
import { bleu, exactMatch } from "../lib/training/metrics.ts";
import { tokenizerOf } from "../lib/pipelines/common.ts";
import { Vocabulary } from "../lib/text/vocab.ts";
import { Random } from "../lib/util/random.ts";
import { type DataSource, holdOut, type Items, type Pipeline } from "./sources.ts";

export type Extras = (ClassifierExtras | LanguageModelExtras | TranslatorExtras | ForecasterExtras | GeneratorExtras) & { source: DataSource };

export interface TrainDefaults {
  epochs: number;
  batchSize: number;
  lr: number;
  clipNorm: number;
  patience: number;
}

export interface Job {
  config: ModelConfig;
  extras: Extras;
  examples: unknown[];
  validation?: unknown[];
  defaults: TrainDefaults;
  task(model: Model): Task<unknown>;
}

export type JobOptions = ClassifierOptions & LanguageModelOptions & TranslatorOptions & ForecasterOptions;

export function prepareJob(pipeline: Pipeline, items: Items, source: DataSource, o: JobOptions): Job {
  const job = <E>(
    p: { config: ModelConfig; extras: Omit<Extras, "source">; examples: E[] },
    defaults: TrainDefaults,
    task: (m: Model) => Task<E>,
    validation?: E[],
  ): Job => ({ config: p.config, extras: { ...p.extras, source } as Extras, examples: p.examples, validation, defaults, task: task as (m: Model) => Task<unknown> });
  const defaults = (epochs: number, batchSize: number, lr: number, patience: number): TrainDefaults => ({ epochs, batchSize, lr, clipNorm: 1, patience });
  switch (pipeline) {
    case "classifier":
      return job(prepareClassifier(holdOut(labelled(items), source).train, o), defaults(10, 32, 0.003, 3), (m) => classificationTask(m as SequenceClassifier));
    case "language-model":
      return job(prepareLanguageModel(holdOut(lines(items), source).train, o), defaults(25, 32, 0.005, 3), (m) => languageModelTask(m as SequenceTagger));
    case "translator": {
      const p = prepareTranslator(holdOut(pairs(items), source).train, o);
      return job(p, defaults(5, 64, 0.003, 2), (m) => translationTask(m as Seq2Seq, new Vocabulary(p.extras.targetVocab)));
    }
    case "forecaster": {
      const p = prepareForecaster(series(items), { ...o, validationFraction: source.testFraction });
      return job({ ...p, examples: p.train }, defaults(40, 16, 0.005, 5), (m) => regressionTask(m as SequenceTagger), p.validation);
    }
    case "generator":
      return job(prepareGenerator(holdOut(labelled(items), source).train, o), defaults(20, 32, 0.005, 3), (m) => generationTask(m as SequenceGenerator));
  }
}

const labelled = (i: Items) => (i.kind === "labelled" ? i.items : wrong(i, "labelled texts"));
const lines = (i: Items) => (i.kind === "lines" ? i.items : i.kind === "labelled" ? i.items.map((x) => x.text) : wrong(i, "lines of text"));
const pairs = (i: Items) => (i.kind === "pairs" ? i.items : wrong(i, "sentence pairs"));
const series = (i: Items) => (i.kind === "series" ? i.values : wrong(i, "a numeric series"));
function wrong(i: Items, want: string): never {
  throw new GatedError(`this model needs ${want}, but the data holds ${i.kind}`);
}

export interface Report {
  metrics: Record<string, number>;
  lines: string[];
}

/** Scores a model on the held-out part of its data (as recorded in its extras). */
export function report(model: Model, extras: Extras, items: Items, seed: number): Report {
  const source = extras.source;
  const rng = new Random(seed);
  switch (extras.pipeline) {
    case "classifier": {
      const { test } = holdOut(labelled(items), source);
      if (test.length === 0) return { metrics: {}, lines: ["no held-out texts to score"] };
      const predicted = classifyTexts(model as SequenceClassifier, extras, test.map((t) => t.text));
      const accuracy = predicted.filter((p, i) => p.label === test[i].label).length / test.length;
      const majority = Math.max(...extras.labels.map((l) => test.filter((t) => t.label === l).length)) / test.length;
      return {
        metrics: { accuracy, majorityBaseline: majority },
        lines: [
          `held-out accuracy ${(100 * accuracy).toFixed(1)}% on ${test.length} texts (always guessing the most common label: ${(100 * majority).toFixed(1)}%)`,
          ...test.slice(0, 3).map((t, i) => `  "${clip(t.text)}" → ${predicted[i].label} (${(100 * predicted[i].probabilities[predicted[i].label]).toFixed(0)}%), labelled ${t.label}`),
        ],
      };
    }
    case "language-model": {
      const all = lines(items);
      const { test } = holdOut(all, source);
      const tok = tokenizerOf(extras.tokenizer);
      const vocab = new Vocabulary(extras.vocab);
      const task = languageModelTask(model as SequenceTagger);
      const testIds = test.map((t) => vocab.encode(tok.tokenize(t))).filter((t) => t.length);
      const loss = testIds.length ? evaluate(task, testIds, 64).validationLoss! : NaN;
      const samples = generateTexts(model as SequenceTagger, extras, 100, rng, { temperature: 1 });
      const known = new Set(all.map((t) => tok.detokenize(tok.tokenize(t))));
      const novel = samples.filter((s) => !known.has(s)).length / samples.length;
      return {
        metrics: { perplexity: Math.exp(loss), loss, novel },
        lines: [
          `held-out perplexity ${Math.exp(loss).toFixed(2)} per token (loss ${loss.toFixed(3)}) on ${testIds.length} texts`,
          `${(100 * novel).toFixed(0)}% of 100 sampled texts are not in the data`,
          `samples: ${samples.slice(0, 12).join(", ")}`,
        ],
      };
    }
    case "translator": {
      const { test } = holdOut(pairs(items), source);
      if (test.length === 0) return { metrics: {}, lines: ["no held-out pairs to score"] };
      const out = translateTexts(model as Seq2Seq, extras, test.map((p) => p.source));
      const tok = tokenizerOf(extras.tokenizer);
      const hyp = out.map((o) => o.targetTokens);
      const ref = test.map((p) => tok.tokenize(p.target));
      const em = exactMatch(hyp, ref);
      const b = bleu(hyp, ref);
      return {
        metrics: { exactMatch: em, bleu: b },
        lines: [
          `held-out exact match ${(100 * em).toFixed(1)}%, BLEU ${(100 * b).toFixed(1)} on ${test.length} pairs`,
          ...test.slice(0, 4).map((p, i) => `  ${p.source} → ${out[i].text}${out[i].text === tok.detokenize(ref[i]) ? "" : `   (reference: ${p.target})`}`),
        ],
      };
    }
    case "forecaster": {
      const values = series(items);
      const p = prepareForecaster(values, { window: extras.window, validationFraction: source.testFraction });
      const m = model as SequenceTagger;
      let se = 0, naive = 0, n = 0;
      m.evaluating(() => {
        for (const w of p.validation as SeriesExample[]) {
          const out = m.forward(featureBatch([w.inputs], 1)).out.data;
          const last = w.inputs.length - 1;
          const actual = w.targets[last][0] * extras.std;
          se += (out[last] * extras.std - actual) ** 2;
          naive += (w.inputs[last][0] * extras.std - actual) ** 2; // "same change as last month"
          n++;
        }
      });
      const rmse = Math.sqrt(se / n);
      const baseline = Math.sqrt(naive / n);
      return {
        metrics: { rmse, naiveRmse: baseline },
        lines: [`held-out one-step RMSE ${rmse.toFixed(3)} (repeating last month's change: ${baseline.toFixed(3)}) over the last ${n} months`],
      };
    }
    case "generator": {
      const known = new Set(labelled(items).map((x) => x.text.toLowerCase()));
      const out: string[] = [];
      let novel = 0;
      for (const c of extras.conditions) {
        const samples = generateFor(model as SequenceGenerator, extras, c, 50, rng);
        novel += samples.filter((s) => !known.has(s)).length;
        out.push(`${c}: ${samples.slice(0, 10).join(", ")}`);
      }
      const share = novel / (50 * extras.conditions.length);
      return { metrics: { novel: share }, lines: [...out, `${(100 * share).toFixed(0)}% of samples are new`] };
    }
  }
}

function clip(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}


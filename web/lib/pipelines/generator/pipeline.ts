// One-to-many: a label in (as a one-hot condition vector that sets the
// decoder's initial state), text out — e.g. first names by gender.
// Characters by default.

import type { LabelledText } from "../../data/formats.ts";
import { GatedError } from "../../errors.ts";
import { optionalBoolean, onlyKeys } from "../../util/check.ts";
import type { GeneratorConfig, SequenceGenerator } from "../../models/generator.ts";
import type { GeneratorCard } from "./card.ts";
import { type ConditionedSequence, generationTask } from "./step.ts";
import { tokenizerOf } from "../../text/tokenizer.ts";
import { Vocabulary } from "../../text/vocab.ts";
import { Random } from "../../util/random.ts";
import { checkCount, encoderConfig, labelledTexts, needExamples } from "../common.ts";
import { samplingDistribution } from "../../models/sampling.ts";
import { describeStep, markNovel, MAX_SAMPLES } from "../language-model/pipeline.ts";
import type { Pipeline } from "../pipeline.ts";
import { type GenerateForRequest, generatorSpec, type GeneratorOptions } from "./spec.ts";
import type { GeneratedText } from "../language-model/spec.ts";

function oneHot(card: GeneratorCard, label: string): number[] {
  const i = card.conditions.indexOf(label);
  if (i < 0) throw new GatedError(`unknown condition "${label}"; this model knows ${card.conditions.join(", ")}`);
  return card.conditions.map((_, j) => (j === i ? 1 : 0));
}

export function generateFor(model: SequenceGenerator, card: GeneratorCard, rng: Random, request: GenerateForRequest): GeneratedText[] {
  onlyKeys(request, ["condition", "count", "distributions", "top", "temperature", "topK"], "a generate request");
  const count = checkCount("the number of samples", request.count, MAX_SAMPLES);
  const top = request.top === undefined ? 10 : checkCount("top", request.top, 1000);
  optionalBoolean(request.distributions, "distributions");
  const tok = tokenizerOf(card.tokenizer);
  const vocab = new Vocabulary(card.vocab);
  const condition = oneHot(card, request.condition);
  const sampling = { temperature: request.temperature, topK: request.topK };
  return Array.from({ length: count }, () => {
    const steps: NonNullable<GeneratedText["steps"]> = [];
    const onStep = request.distributions ? (logits: ArrayLike<number>, chosen: number) => steps.push(describeStep(vocab, samplingDistribution(logits, sampling), chosen, top)) : undefined;
    const ids = model.generate(condition, rng, { ...sampling, maxLength: card.maxTokens, onStep });
    const tokens = vocab.decode(ids);
    return { text: tok.detokenize(tokens), tokens, ...(onStep ? { steps } : {}) };
  });
}

export const generatorPipeline: Pipeline<"generator", LabelledText[], ConditionedSequence, GenerateForRequest, GeneratedText[], GeneratorOptions> = {
  ...generatorSpec,
  predictsWithData: true,

  ...labelledTexts,

  design(train, o, data) {
    const tokenizer = { kind: "char" as const, lowercase: true };
    const tok = tokenizerOf(tokenizer);
    const conditions = [...new Set(train.map((d) => d.label))].sort();
    const vocab = Vocabulary.build(train.map((d) => tok.tokenize(d.text, o.maxTokens)));
    const config: GeneratorConfig = {
      type: "generator",
      conditionSize: conditions.length,
      decoder: encoderConfig({ vocabSize: vocab.size, embeddingDim: o.embeddingDim }, o, { bidirectional: false }),
      headDropout: 0.1,
    };
    return { config, card: { kind: "generator", version: 1, data, tokenizer, vocab: vocab.toJSON(), conditions, maxTokens: o.maxTokens } };
  },

  examples(card, train) {
    const tok = tokenizerOf(card.tokenizer);
    const vocab = new Vocabulary(card.vocab);
    const examples: ConditionedSequence[] = [];
    for (const d of train) {
      const t = tok.tokenize(d.text, card.maxTokens);
      if (t.length) examples.push({ condition: oneHot(card, d.label), ids: vocab.encode(t) });
    }
    needExamples(examples.length, 2, "generator");
    return { train: examples };
  },

  task: (model) => generationTask(model as SequenceGenerator),

  evaluate(model, card, { test, train }, seed) {
    const m = model as SequenceGenerator;
    const known = knownNames({ train, test });
    const rng = new Random(seed);
    const examples = card.conditions.flatMap((condition) =>
      markNovel(generateFor(m, card, rng, { condition, count: 50 }), known).map((s) => ({ input: condition, output: s.text, novel: s.novel })),
    );
    const novel = examples.filter((e) => e.novel).length / Math.max(1, examples.length);
    return {
      count: examples.length,
      unit: "samples",
      metrics: [{ key: "novel", label: `of ${examples.length} samples are not in the data`, value: novel, format: "percent", better: "higher" }],
      baselines: [],
      examples: card.conditions.flatMap((c) => examples.filter((e) => e.input === c).slice(0, 8)),
    };
  },

  predict: (model, card, request, rng, data) => markNovel(generateFor(model as SequenceGenerator, card, rng, request), data && knownNames(data)),
};

const knownNames = (data: { train: LabelledText[]; test: LabelledText[] }) => new Set([...data.train, ...data.test].map((x) => x.text.toLowerCase()));

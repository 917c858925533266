// Generative language models over short texts (names, lines): characters by
// default, trained to continue <s> x₁ … xₙ </s>, sampled with a temperature
// and top-k; each sample can carry the next-token distribution at every step.

import { parseLines } from "../../data/formats.ts";
import { GatedError } from "../../errors.ts";
import { optionalBoolean, onlyKeys } from "../../util/check.ts";
import type { TaggerConfig, SequenceTagger } from "../../models/tagger.ts";
import type { LanguageModelCard } from "./card.ts";
import { languageModelTask } from "./step.ts";
import { evaluate } from "../../training/task.ts";
import { tokenizerOf } from "../../text/tokenizer.ts";
import { BOS, Vocabulary } from "../../text/vocab.ts";
import { tokenBatch } from "../../models/batch.ts";
import { Random } from "../../util/random.ts";
import { checkCount, encoderConfig, holdOutItems, needExamples } from "../common.ts";
import { samplingDistribution } from "../../models/sampling.ts";
import type { Pipeline } from "../pipeline.ts";
import { type GeneratedText, type GenerateRequest, languageModelSpec, type LanguageModelOptions } from "./spec.ts";

/** Marks samples new or known against a set of known texts. */
export const markNovel = (samples: GeneratedText[], known: ReadonlySet<string> | undefined): GeneratedText[] =>
  known ? samples.map((s) => ({ ...s, novel: !known.has(s.text) })) : samples;

export const MAX_SAMPLES = 10000;

export function generateTexts(model: SequenceTagger, card: LanguageModelCard, rng: Random, request: GenerateRequest): GeneratedText[] {
  onlyKeys(request, ["count", "prefix", "distributions", "top", "temperature", "topK"], "a generate request");
  const count = checkCount("the number of samples", request.count, MAX_SAMPLES);
  const top = request.top === undefined ? 10 : checkCount("top", request.top, 1000);
  optionalBoolean(request.distributions, "distributions");
  const tok = tokenizerOf(card.tokenizer);
  const vocab = new Vocabulary(card.vocab);
  if (request.prefix !== undefined && typeof request.prefix !== "string") throw new GatedError("prefix must be a text");
  const prefixTokens = request.prefix ? tok.tokenize(request.prefix, card.maxTokens - 1) : [];
  const prefix = vocab.encode(prefixTokens);
  const sampling = { temperature: request.temperature, topK: request.topK };
  return Array.from({ length: count }, () => {
    const steps: NonNullable<GeneratedText["steps"]> = [];
    const onStep = request.distributions ? (logits: ArrayLike<number>, chosen: number) => steps.push(describeStep(vocab, samplingDistribution(logits, sampling), chosen, top)) : undefined;
    const ids = model.generate(rng, { ...sampling, prefix, maxLength: card.maxTokens, onStep });
    const tokens = vocab.decode(ids);
    return { text: tok.detokenize(tokens), tokens, ...(onStep ? { steps } : {}) };
  });
}

/** A step's chosen token with its probability and the most likely tokens. */
export function describeStep(vocab: Vocabulary, p: number[], chosen: number, top: number) {
  const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]).slice(0, top);
  return { token: vocab.tokens[chosen], probability: p[chosen], top: order.map((i) => [vocab.tokens[i], p[i]] as [string, number]) };
}

export const languageModelPipeline: Pipeline<"language-model", string[], number[], GenerateRequest, GeneratedText[], LanguageModelOptions> = {
  ...languageModelSpec,
  predictsWithData: true,

  parse: (text, file) => parseLines(text, { source: file.name }),
  isItem: (x) => typeof x === "string",
  itemFormat: "a string",
  size: (data) => data.length,
  holdOut: holdOutItems,

  design(train, o, data) {
    const tokenizer = { kind: o.tokenizer, lowercase: true };
    const tok = tokenizerOf(tokenizer);
    const vocab = Vocabulary.build(train.map((l) => tok.tokenize(l, o.maxTokens)));
    const config: TaggerConfig = {
      type: "tagger",
      ...encoderConfig({ vocabSize: vocab.size, embeddingDim: o.embeddingDim }, o, { bidirectional: false }),
      headDropout: 0.1,
      head: "softmax",
      outputs: vocab.size,
    };
    return { config, card: { kind: "language-model", version: 1, data, tokenizer, vocab: vocab.toJSON(), maxTokens: o.maxTokens } };
  },

  examples(card, train) {
    const examples = encodeLines(card, train);
    needExamples(examples.length, 2, "language model");
    return { train: examples };
  },

  task: (model, _card, o) => languageModelTask(model as SequenceTagger, o.tbptt > 0 ? { tbptt: o.tbptt } : {}),

  evaluate(model, card, { test, train }, seed) {
    const m = model as SequenceTagger;
    const ids = encodeLines(card, test);
    const loss = ids.length ? evaluate(languageModelTask(m), ids, 64).validationLoss! : NaN;
    const samples = markNovel(generateTexts(m, card, new Random(seed), { count: 100 }), knownTexts(card, { train, test }));
    const novel = samples.filter((s) => s.novel).length / samples.length;
    return {
      count: ids.length,
      unit: "texts",
      metrics: [
        { key: "perplexity", label: "perplexity", value: Math.exp(loss), format: "number", better: "lower" },
        { key: "novel", label: "of 100 samples are not in the data", value: novel, format: "percent", better: "higher" },
      ],
      baselines: [{ key: "uniform", label: "guessing uniformly over the vocabulary", value: card.vocab.length - 2, format: "number", better: "lower" }],
      examples: samples.slice(0, 12).map((s) => ({ input: "", output: s.text, novel: s.novel })),
    };
  },

  predict: (model, card, request, rng, data) => markNovel(generateTexts(model as SequenceTagger, card, rng, request), data && knownTexts(card, data)),

  inspect(model, card, text) {
    const m = model as SequenceTagger;
    const tok = tokenizerOf(card.tokenizer);
    const vocab = new Vocabulary(card.vocab);
    const tokens = tok.tokenize(text, card.maxTokens - 1);
    // The model reads <s> and then the text, predicting each next token.
    const gates = m.evaluating(() => {
      m.forward(tokenBatch([[BOS, ...vocab.encode(tokens)]]));
      return m.encoder.rnn.gates();
    });
    return { steps: [{ label: "reading", tokens: ["<s>", ...tokens], gates }] };
  },
};

/** The data's texts as samples come out (tokenised, cut, joined again): a sample is new when it is none of them, trained on or held out. */
function knownTexts(card: LanguageModelCard, data: { train: readonly string[]; test: readonly string[] }): Set<string> {
  const tok = tokenizerOf(card.tokenizer);
  return new Set([...data.train, ...data.test].map((t) => tok.detokenize(tok.tokenize(t, card.maxTokens))));
}

function encodeLines(card: LanguageModelCard, lines: readonly string[]): number[][] {
  const tok = tokenizerOf(card.tokenizer);
  const vocab = new Vocabulary(card.vocab);
  return lines.map((l) => vocab.encode(tok.tokenize(l, card.maxTokens))).filter((t) => t.length > 0);
}

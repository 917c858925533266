// One-to-many: a label in (as a one-hot condition vector), text out — e.g.
// first names by gender. Characters by default.

import { GatedError } from "../errors.ts";
import type { GeneratorConfig, SequenceGenerator } from "../models/generator.ts";
import type { SamplingOptions } from "../models/sampling.ts";
import type { ConditionedSequence } from "../tasks/generation.ts";
import { Vocabulary } from "../text/vocab.ts";
import type { Random } from "../util/random.ts";
import { encoderConfig, type ModelOptions, needExamples, tokenizerOf, type TokenizerSpec } from "./common.ts";

export interface GeneratorExtras {
  pipeline: "generator";
  tokenizer: TokenizerSpec;
  vocab: string[];
  conditions: string[];
  maxTokens: number;
}

export function prepareGenerator(data: readonly { text: string; label: string }[], o: ModelOptions = {}) {
  const tokenizer: TokenizerSpec = { kind: "char", lowercase: true };
  const tok = tokenizerOf(tokenizer);
  const conditions = [...new Set(data.map((d) => d.label))].sort();
  const tokens = data.map((d) => tok.tokenize(d.text).slice(0, 40));
  const vocab = Vocabulary.build(tokens);
  const examples: ConditionedSequence[] = [];
  tokens.forEach((t, i) => t.length && examples.push({ condition: oneHot(conditions, data[i].label), ids: vocab.encode(t) }));
  needExamples(examples.length, 2, "generator");
  const extras: GeneratorExtras = { pipeline: "generator", tokenizer, vocab: vocab.toJSON(), conditions, maxTokens: 40 };
  const config: GeneratorConfig = {
    type: "generator",
    conditionSize: conditions.length,
    decoder: encoderConfig({ vocabSize: vocab.size, embeddingDim: o.embeddingDim ?? 24 }, { ...o, bidirectional: false }, {
      cell: "gru", hiddenSize: 96, embeddingDim: 24, numLayers: 1, bidirectional: false, merge: "concat", dropout: 0, recurrentDropout: 0.1,
    }),
    headDropout: 0.1,
  };
  return { extras, examples, config };
}

function oneHot(conditions: readonly string[], label: string): number[] {
  const i = conditions.indexOf(label);
  if (i < 0) throw new GatedError(`unknown condition "${label}"; this model knows ${conditions.join(", ")}`);
  return conditions.map((_, j) => (j === i ? 1 : 0));
}

export function generateFor(model: SequenceGenerator, extras: GeneratorExtras, label: string, count: number, rng: Random, sampling: SamplingOptions = {}): string[] {
  const tok = tokenizerOf(extras.tokenizer);
  const vocab = new Vocabulary(extras.vocab);
  const condition = oneHot(extras.conditions, label);
  return Array.from({ length: count }, () => tok.detokenize(vocab.decode(model.generate(condition, rng, { ...sampling, maxLength: extras.maxTokens }))));
}

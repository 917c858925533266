// Generative language models over short texts (names, lines): characters by
// default, trained to continue <s> x₁ … xₙ </s>, sampled with a temperature.

import type { SequenceTagger, TaggerConfig } from "../models/tagger.ts";
import type { SamplingOptions } from "../models/sampling.ts";
import type { TokenizerKind } from "../text/tokenizer.ts";
import { Vocabulary } from "../text/vocab.ts";
import type { Random } from "../util/random.ts";
import { encoderConfig, type ModelOptions, needExamples, tokenizerOf, type TokenizerSpec } from "./common.ts";

export interface LanguageModelExtras {
  pipeline: "language-model";
  tokenizer: TokenizerSpec;
  vocab: string[];
  maxTokens: number;
}

export interface LanguageModelOptions extends ModelOptions {
  tokenizer?: TokenizerKind;
  lowercase?: boolean;
  maxTokens?: number;
}

export function prepareLanguageModel(lines: readonly string[], o: LanguageModelOptions = {}) {
  const tokenizer: TokenizerSpec = { kind: o.tokenizer ?? "char", lowercase: o.lowercase ?? true };
  const tok = tokenizerOf(tokenizer);
  const maxTokens = o.maxTokens ?? 100;
  const tokens = lines.map((l) => tok.tokenize(l).slice(0, maxTokens)).filter((t) => t.length > 0);
  needExamples(tokens.length, 2, "language model");
  const vocab = Vocabulary.build(tokens);
  const extras: LanguageModelExtras = { pipeline: "language-model", tokenizer, vocab: vocab.toJSON(), maxTokens };
  const config: TaggerConfig = {
    type: "tagger",
    ...encoderConfig({ vocabSize: vocab.size, embeddingDim: o.embeddingDim ?? 24 }, { ...o, bidirectional: false }, {
      cell: "lstm", hiddenSize: 96, embeddingDim: 24, numLayers: 1, bidirectional: false, merge: "concat", dropout: 0, recurrentDropout: 0.1,
    }),
    headDropout: 0.1,
    head: "softmax",
    outputs: vocab.size,
  };
  return { extras, examples: tokens.map((t) => vocab.encode(t)), config };
}

export function generateTexts(model: SequenceTagger, extras: LanguageModelExtras, count: number, rng: Random, sampling: SamplingOptions & { prefix?: string } = {}): string[] {
  const tok = tokenizerOf(extras.tokenizer);
  const vocab = new Vocabulary(extras.vocab);
  const prefix = sampling.prefix ? vocab.encode(tok.tokenize(sampling.prefix)) : [];
  return Array.from({ length: count }, () =>
    tok.detokenize(vocab.decode(model.generate(rng, { ...sampling, prefix, maxLength: extras.maxTokens }))),
  );
}

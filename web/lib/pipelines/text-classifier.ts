// Text classification (sentiment, topics): word tokens → embedding →
// bidirectional GRU → mean over time → softmax over the labels found in the data.

import type { LabelledText } from "../data/formats.ts";
import type { SequenceClassifier, ClassifierConfig } from "../models/classifier.ts";
import { tokenBatch } from "../models/batch.ts";
import type { LabelledSequence } from "../tasks/classification.ts";
import { Vocabulary } from "../text/vocab.ts";
import { encoderConfig, type ModelOptions, needExamples, tokenizerOf, type TokenizerSpec } from "./common.ts";

export interface ClassifierExtras {
  pipeline: "classifier";
  tokenizer: TokenizerSpec;
  vocab: string[];
  labels: string[];
  /** Texts are cut to this many tokens. */
  maxTokens: number;
}

export interface ClassifierOptions extends ModelOptions {
  pooling?: "last" | "mean" | "max";
  vocabSize?: number;
  maxTokens?: number;
}

export function prepareClassifier(data: readonly LabelledText[], o: ClassifierOptions = {}) {
  const tokenizer: TokenizerSpec = { kind: "word", lowercase: true };
  const tok = tokenizerOf(tokenizer);
  const tokens = data.map((d) => tok.tokenize(d.text));
  const vocab = Vocabulary.build(tokens, { maxSize: o.vocabSize ?? 20000 });
  const labels = [...new Set(data.map((d) => d.label))].sort();
  const extras: ClassifierExtras = { pipeline: "classifier", tokenizer, vocab: vocab.toJSON(), labels, maxTokens: o.maxTokens ?? 200 };
  const examples: LabelledSequence[] = [];
  tokens.forEach((t, i) => {
    const ids = vocab.encode(t).slice(0, extras.maxTokens);
    if (ids.length) examples.push({ ids, label: labels.indexOf(data[i].label) });
  });
  needExamples(examples.length, 4, "classifier");
  const config: ClassifierConfig = {
    type: "classifier",
    ...encoderConfig({ vocabSize: vocab.size, embeddingDim: o.embeddingDim ?? 64 }, o, {
      cell: "gru", hiddenSize: 64, embeddingDim: 64, numLayers: 1, bidirectional: true, merge: "concat", dropout: 0, recurrentDropout: 0.2,
    }),
    // GRU with mean pooling held up best across seeds on the UCI sentences (77.7–79.7% held out).
    pooling: o.pooling ?? "mean",
    headDropout: 0.4,
    classes: labels.length,
  };
  return { extras, examples, config };
}

export function encodeTexts(extras: ClassifierExtras, texts: readonly string[]): number[][] {
  const tok = tokenizerOf(extras.tokenizer);
  const vocab = new Vocabulary(extras.vocab);
  // An empty text still gets one (unknown) token, so it can be classified.
  return texts.map((t) => {
    const ids = vocab.encode(tok.tokenize(t)).slice(0, extras.maxTokens);
    return ids.length ? ids : [1];
  });
}

export function classifyTexts(model: SequenceClassifier, extras: ClassifierExtras, texts: readonly string[]) {
  const probabilities = model.predict(tokenBatch(encodeTexts(extras, texts)));
  return probabilities.map((p) => {
    const scores = extras.labels.length === 1 ? [1 - p[0], p[0]] : p;
    const best = scores.indexOf(Math.max(...scores));
    return { label: extras.labels[best], probabilities: Object.fromEntries(extras.labels.map((l, i) => [l, scores[i]])) };
  });
}

// Text classification as a page sees it: the spec, and what a prediction
// asks and answers.

import { type OptionValuesOf, optionSpecs } from "../options.ts";
import type { PipelineSpec } from "../spec.ts";

export interface ClassifyRequest {
  texts: string[];
  /** Also classify every prefix of each text. */
  steps?: boolean;
}

export interface Classification {
  text: string;
  label: string;
  probabilities: Record<string, number>;
  tokens: string[];
  /** The verdict after each token (the text up to and including it), when asked for. */
  steps?: { token: string; label: string; probabilities: Record<string, number> }[];
}

export const classifierSpec = {
  kind: "classifier",
  name: "classify",
  title: "Text classification",
  about: "Reads a text word by word and predicts its label (many-to-one).",
  fileFormat: "CSV or TSV (by the file's extension) of text,label rows; a text,label header row is skipped; quotes as in RFC 4180",
  commandLine: 'predict --model FILE "a text"',
  testFraction: 0.1,
  options: optionSpecs(
    { cell: "gru", hiddenSize: 64, embeddingDim: 64, bidirectional: true, recurrentDropout: 0.2, epochs: 10, batchSize: 32, lr: 0.003, patience: 3 },
    [
      { key: "pooling", flag: "pooling", label: "Pooling", description: "How the encoder's steps become one vector: the last step, the mean or the maximum over time.", group: "model", type: "choice", default: "max", choices: ["last", "mean", "max"] },
      { key: "vocabSize", flag: "vocab", label: "Vocabulary", description: "Most frequent words kept; the rest become <unk>.", group: "model", type: "integer", default: 20000, min: 10, max: 1000000 },
      { key: "wordDropout", flag: "word-dropout", label: "Word dropout", description: "Share of words replaced by <unk> while training, so the model copes with words it never saw.", group: "model", type: "number", default: 0.2, min: 0, max: 0.9 },
      { key: "minCount", flag: "min-count", label: "Min word count", description: "Words seen fewer times in training become <unk>, so the model learns what to make of words it has not seen.", group: "model", type: "integer", default: 2, min: 1, max: 1000 },
      { key: "maxTokens", flag: "max-tokens", label: "Max words", description: "Texts are cut to this many words.", group: "model", type: "integer", default: 200, min: 1, max: 10000 },
    ],
  ),
} satisfies PipelineSpec<"classifier">;

/** The options a classifier run reads, typed by their declarations. */
export type ClassifierOptions = OptionValuesOf<typeof classifierSpec.options>;

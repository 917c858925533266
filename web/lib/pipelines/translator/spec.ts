// Translation as a page sees it: the spec, and what a prediction asks and
// answers.

import { type OptionValuesOf, optionSpecs } from "../options.ts";
import type { PipelineSpec } from "../spec.ts";

export interface TranslateRequest {
  texts: string[];
  /** Beam width; 1 is greedy decoding. */
  beam?: number;
}

export interface TranslatedText {
  text: string;
  sourceTokens: string[];
  targetTokens: string[];
  /** One row over the source tokens per output token. */
  attention: number[][];
  logProb: number;
  /** Words of the text that the model never saw in training (read as <unk>): it cannot translate them. */
  unknownWords: string[];
}

export const translatorSpec = {
  kind: "translator",
  name: "translate",
  title: "Translation",
  about: "Reads a sentence, then writes its translation word by word while attending to the source (many-to-many, unaligned).",
  fileFormat: "TSV of source<TAB>target[<TAB>attribution] rows (Tatoeba and Anki exports)",
  commandLine: 'translate --model FILE "a phrase"',
  testFraction: 0.1,
  options: optionSpecs(
    { cell: "gru", hiddenSize: 96, embeddingDim: 64, bidirectional: true, epochs: 5, batchSize: 64, lr: 0.003, patience: 2 },
    [
      { key: "attention", flag: "attention", label: "Attention", description: "How the decoder scores source words: Luong dot or general, Bahdanau additive, or none.", group: "model", type: "choice", default: "general", choices: ["dot", "general", "additive", "none"] },
      { key: "vocabSize", flag: "vocab", label: "Vocabulary", description: "Most frequent words kept per language; the rest become <unk>.", group: "model", type: "integer", default: 20000, min: 10, max: 1000000 },
      { key: "maxTokens", flag: "max-tokens", label: "Max words", description: "Pairs with a longer side are left out.", group: "model", type: "integer", default: 50, min: 1, max: 1000 },
    ],
  ),
} satisfies PipelineSpec<"translator">;

/** The options a translator run reads, typed by their declarations. */
export type TranslatorOptions = OptionValuesOf<typeof translatorSpec.options>;

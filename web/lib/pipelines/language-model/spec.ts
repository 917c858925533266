// Text generation (a language model) as a page sees it: the spec, and what a
// prediction asks and answers.

import type { SamplingOptions } from "../../models/sampling.ts";
import { type OptionValuesOf, optionSpecs } from "../options.ts";
import type { PipelineSpec } from "../spec.ts";

export interface GenerateRequest extends SamplingOptions {
  count: number;
  /** Text to continue. */
  prefix?: string;
  /** Also return, for every generated token, its probability and the most likely alternatives. */
  distributions?: boolean;
  /** How many alternatives per step (default 10). */
  top?: number;
}

export interface GeneratedText {
  text: string;
  tokens: string[];
  /** Per generated token (the end token last): its probability and the `top` most likely tokens, in the distribution it was drawn from (at the request's temperature and top-k). */
  steps?: { token: string; probability: number; top: [string, number][] }[];
  /** Whether the text is in none of the data the model learned from (where that data is at hand). */
  novel?: boolean;
}

export const languageModelSpec = {
  kind: "language-model",
  name: "generate",
  title: "Text generation",
  about: "Learns to continue texts one token at a time, then invents new ones (many-to-many, aligned).",
  fileFormat: "one item per line (names, sentences)",
  commandLine: "generate --model FILE -n 5",
  testFraction: 0.1,
  options: optionSpecs(
    { cell: "lstm", hiddenSize: 96, embeddingDim: 24, recurrentDropout: 0.1, epochs: 25, batchSize: 32, lr: 0.005, patience: 3 },
    [
      { key: "tokenizer", flag: "tokenizer", label: "Tokens", description: "Characters or words.", group: "model", type: "choice", default: "char", choices: ["char", "word"] },
      { key: "maxTokens", flag: "max-tokens", label: "Max length", description: "Items are cut to this many tokens, and samples stop there.", group: "model", type: "integer", default: 100, min: 2, max: 10000 },
      { key: "tbptt", flag: "tbptt", label: "Truncated BPTT", description: "Backpropagate through at most this many steps, carrying the state on (0: through the whole sequence).", group: "training", type: "integer", default: 0, min: 0, max: 10000 },
    ],
    ["bidirectional", "merge"],
  ),
} satisfies PipelineSpec<"language-model">;

/** The options a language-model run reads, typed by their declarations. */
export type LanguageModelOptions = OptionValuesOf<typeof languageModelSpec.options>;

// Generation by label (a conditional generator) as a page sees it: the spec,
// and what a prediction asks (its answers are a language model's).

import type { SamplingOptions } from "../../models/sampling.ts";
import { type OptionValuesOf, optionSpecs } from "../options.ts";
import type { PipelineSpec } from "../spec.ts";

export interface GenerateForRequest extends SamplingOptions {
  /** The label to generate for. */
  condition: string;
  count: number;
  distributions?: boolean;
  top?: number;
}

export const generatorSpec = {
  kind: "generator",
  name: "generate-by-label",
  title: "Generation by label",
  about: "Turns a label into a sequence: the label sets the decoder's first state, which then writes one token at a time (one-to-many).",
  fileFormat: "CSV or TSV of text,label rows: it learns to generate texts for a given label",
  commandLine: "generate --model FILE --condition LABEL",
  testFraction: 0.1,
  options: optionSpecs(
    { cell: "gru", hiddenSize: 96, embeddingDim: 24, recurrentDropout: 0.1, epochs: 20, batchSize: 32, lr: 0.005, patience: 3 },
    [{ key: "maxTokens", flag: "max-tokens", label: "Max length", description: "Texts are cut to this many characters, and samples stop there.", group: "model", type: "integer", default: 40, min: 2, max: 10000 }],
    ["bidirectional", "merge"],
  ),
} satisfies PipelineSpec<"generator">;

/** The options a generator run reads, typed by their declarations. */
export type GeneratorOptions = OptionValuesOf<typeof generatorSpec.options>;

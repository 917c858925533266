// What the pipelines share: model-size options with defaults, and the
// tokenizer description that model files carry.

import { GatedError } from "../errors.ts";
import type { RecurrentKind } from "../layers/recurrent.ts";
import type { MergeMode } from "../layers/merge.ts";
import type { EncoderConfig } from "../models/encoder.ts";
import { createTokenizer, type Tokenizer, type TokenizerKind } from "../text/tokenizer.ts";

export interface ModelOptions {
  cell?: RecurrentKind;
  hiddenSize?: number;
  embeddingDim?: number;
  numLayers?: number;
  bidirectional?: boolean;
  merge?: MergeMode;
  dropout?: number;
  recurrentDropout?: number;
}

export interface TokenizerSpec {
  kind: TokenizerKind;
  lowercase: boolean;
}

export function tokenizerOf(spec: TokenizerSpec): Tokenizer {
  return createTokenizer(spec.kind, { lowercase: spec.lowercase });
}

/** Encoder settings from options over a pipeline's defaults. */
export function encoderConfig(input: EncoderConfig["input"], o: ModelOptions, defaults: Required<ModelOptions>): EncoderConfig {
  const c = { ...defaults, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as Required<ModelOptions>;
  return {
    input, cell: c.cell, hiddenSize: c.hiddenSize, numLayers: c.numLayers, bidirectional: c.bidirectional, merge: c.merge,
    dropout: c.dropout, recurrentDropout: c.recurrentDropout, init: { scheme: "xavier-orthogonal", ...(c.cell === "lstm" ? { forgetBias: 1 } : {}) },
  };
}

/** Refuses a data set too small to train on. */
export function needExamples(n: number, min: number, what: string): void {
  if (n < min) throw new GatedError(`${what}: ${n} usable examples; at least ${min} are needed to train`);
}

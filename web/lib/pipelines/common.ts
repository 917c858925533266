// What the pipelines share: the encoder's config from resolved options, the
// refusal of data too small to train on, and evaluation helpers.

import { GatedError } from "../errors.ts";
import type { EncoderConfig } from "../models/encoder.ts";
import { type LabelledText, parseLabelledText } from "../data/formats.ts";
import { split } from "../training/batches.ts";
import { isPlainObject } from "../util/check.ts";
import type { SharedValues } from "./options.ts";

/** The options an encoder is made from (a forward-only pipeline has no bidirectional or merge; only a word-level one has word dropout). */
export type EncoderValues = Pick<SharedValues, "cell" | "hiddenSize" | "numLayers" | "dropout" | "recurrentDropout"> &
  Partial<Pick<SharedValues, "bidirectional" | "merge">> & { wordDropout?: number };

/** Encoder settings from resolved options (forward-only pipelines pass bidirectional: false). */
export function encoderConfig(input: EncoderConfig["input"], o: EncoderValues, overrides: { bidirectional?: boolean } = {}): EncoderConfig {
  const cell = o.cell;
  return {
    input, cell, hiddenSize: o.hiddenSize, numLayers: o.numLayers, bidirectional: overrides.bidirectional ?? o.bidirectional ?? false,
    merge: o.merge ?? "concat", dropout: o.dropout, recurrentDropout: o.recurrentDropout,
    ...(o.wordDropout !== undefined && o.wordDropout > 0 && "vocabSize" in input ? { wordDropout: o.wordDropout } : {}),
    init: { scheme: "xavier-orthogonal", ...(cell === "lstm" ? { forgetBias: 1 } : {}) },
  };
}

/** Texts a prediction handles per model call, so that thousands need no more memory than a training batch. */
export const PREDICT_BATCH = 64;

/** Refuses a data set too small to train on. */
export function needExamples(n: number, min: number, what: string): void {
  if (n < min) throw new GatedError(`${what}: ${n} usable examples; at least ${min} are needed to train`);
}

/** The seeded held-out split of a list of items. */
export function holdOutItems<T>(items: readonly T[], testFraction: number, seed: number): { train: T[]; test: T[] } {
  const { train, validation } = split(items, testFraction, seed + 1000);
  return { train, test: validation };
}

/** Checks a count a caller asks for (samples, steps) against a cap, naming it. */
export function checkCount(what: string, n: unknown, max: number): number {
  if (!(Number.isInteger(n) && (n as number) >= 1 && (n as number) <= max)) throw new GatedError(`${what} must be an integer from 1 to ${max}, got ${String(n)}`);
  return n as number;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;


/** The texts' most confident mistakes first, then their most confident successes, a few of each. */
export function pickExamples<T extends { correct?: boolean; confidence?: number }>(rows: T[], each = 5): T[] {
  const byConfidence = (a: T, b: T) => (b.confidence ?? 0) - (a.confidence ?? 0);
  return [...rows.filter((r) => r.correct === false).sort(byConfidence).slice(0, each), ...rows.filter((r) => r.correct !== false).sort(byConfidence).slice(0, each)];
}

/** Labelled texts from a CSV or a TSV file (by its extension). */
export const parseLabelledFile = (text: string, file: { name: string }): LabelledText[] =>
  parseLabelledText(text, { delimiter: file.name.toLowerCase().endsWith(".tsv") ? "\t" : ",", source: file.name });

/** How pipelines of labelled texts (the classifier, the generator) read, check, count and split their data. */
export const labelledTexts = {
  parse: parseLabelledFile,
  isItem: (x: unknown): x is LabelledText => isPlainObject(x) && typeof x.text === "string" && typeof x.label === "string",
  itemFormat: "{ text: string, label: string }",
  size: (data: LabelledText[]) => data.length,
  holdOut: holdOutItems<LabelledText>,
};

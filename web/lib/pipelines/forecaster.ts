// Forecasting a numeric series: the model reads the month-to-month changes
// (standardised) and predicts the next change at every step; a forecast adds
// predicted changes to the last value, feeding each prediction back in.
// Working on changes keeps a trending series (CO₂) inside the range the
// model was trained on.

import { GatedError } from "../errors.ts";
import type { SequenceTagger, TaggerConfig } from "../models/tagger.ts";
import { featureBatch } from "../models/batch.ts";
import type { SeriesExample } from "../tasks/regression.ts";
import { encoderConfig, type ModelOptions } from "./common.ts";

export interface ForecasterExtras {
  pipeline: "forecaster";
  /** Mean and standard deviation of the training changes. */
  mean: number;
  std: number;
  window: number;
}

export interface ForecasterOptions extends ModelOptions {
  window?: number;
  /** Fraction of the series (its end) kept for validation. */
  validationFraction?: number;
}

export function prepareForecaster(values: readonly number[], o: ForecasterOptions = {}) {
  const window = o.window ?? 24;
  if (values.length < window + 3) throw new GatedError(`forecaster: the series has ${values.length} values; at least window + 3 = ${window + 3} are needed`);
  const diffs = values.slice(1).map((v, i) => v - values[i]);
  const cut = Math.floor(diffs.length * (1 - (o.validationFraction ?? 0.2)));
  const trainDiffs = diffs.slice(0, cut);
  const mean = trainDiffs.reduce((a, v) => a + v, 0) / trainDiffs.length;
  const std = Math.sqrt(trainDiffs.reduce((a, v) => a + (v - mean) ** 2, 0) / trainDiffs.length) || 1;
  const z = diffs.map((d) => (d - mean) / std);
  const windows = (from: number, to: number): SeriesExample[] => {
    const out: SeriesExample[] = [];
    for (let s = from; s + window < to; s++) {
      out.push({ inputs: z.slice(s, s + window).map((v) => [v]), targets: z.slice(s + 1, s + window + 1).map((v) => [v]) });
    }
    return out;
  };
  const extras: ForecasterExtras = { pipeline: "forecaster", mean, std, window };
  const config: TaggerConfig = {
    type: "tagger",
    ...encoderConfig({ features: 1 }, { ...o, bidirectional: false }, {
      cell: "gru", hiddenSize: 32, embeddingDim: 0, numLayers: 1, bidirectional: false, merge: "concat", dropout: 0, recurrentDropout: 0,
    }),
    headDropout: 0,
    head: "regression",
    outputs: 1,
  };
  return { extras, train: windows(0, cut), validation: windows(Math.max(0, cut - window), diffs.length), config };
}

/** The next `steps` values after `history` (at least window + 1 values). */
export function forecast(model: SequenceTagger, extras: ForecasterExtras, history: readonly number[], steps: number): number[] {
  const { mean, std, window } = extras;
  if (history.length < window + 1) throw new GatedError(`forecast: give at least ${window + 1} past values, got ${history.length}`);
  return model.evaluating(() => {
    const recent = history.slice(-(window + 1));
    const z = recent.slice(1).map((v, i) => [(v - recent[i] - mean) / std]);
    let { out, run } = model.forward(featureBatch([z], 1));
    let last = history[history.length - 1];
    const result: number[] = [];
    for (let k = 0; k < steps; k++) {
      const next = out.data[out.data.length - 1];
      last += next * std + mean;
      result.push(last);
      ({ out, run } = model.forward(featureBatch([[[next]]], 1), { h0: run.hN.ptr, c0: run.cN?.ptr }));
    }
    return result;
  });
}

// Forecasting a numeric series: the model reads the step-to-step changes
// (standardised) and predicts the next change at every step; a forecast adds
// predicted changes to the last value, feeding each prediction back in.
// Working on changes keeps a trending series (CO₂) inside the range the
// model was trained on. Held-out data is the end of the series, by time.

import { parseNumericSeries } from "../../data/formats.ts";
import { GatedError } from "../../errors.ts";
import { onlyKeys } from "../../util/check.ts";
import { featureBatch } from "../../models/batch.ts";
import type { SequenceTagger, TaggerConfig } from "../../models/tagger.ts";
import type { ForecasterCard } from "./card.ts";
import { regressionTask, type SeriesExample } from "./step.ts";
import { assertFinite } from "../../tensor.ts";
import { checkCount, encoderConfig } from "../common.ts";
import type { Pipeline } from "../pipeline.ts";
import { type Forecast, type ForecastRequest, forecasterSpec, seriesColumns, type ForecasterOptions } from "./spec.ts";

export const MAX_FORECAST_STEPS = 10000;

/** The next `steps` values after `history`; onValue sees each as it comes. */
export function forecast(model: SequenceTagger, card: ForecasterCard, history: readonly number[], steps: number, onValue?: (value: number, step: number) => void): number[] {
  const { mean, std, window } = card;
  checkCount("steps", steps, MAX_FORECAST_STEPS);
  if (!Array.isArray(history) || history.length < window + 1) throw new GatedError(`forecast: give at least ${window + 1} past values, got ${history?.length ?? 0}`);
  assertFinite("forecast: the history", history);
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
      onValue?.(last, k);
      ({ out, run } = model.forward(featureBatch([[[next]]], 1), { h0: run.hN.ptr, c0: run.cN?.ptr }));
    }
    return result;
  });
}

/** Windows of `window` standardised changes, each step's target the next change, for targets in [from, to). */
function windows(z: readonly number[], window: number, from: number, to: number): SeriesExample[] {
  const out: SeriesExample[] = [];
  for (let s = Math.max(0, from - window); s + window < to; s++) {
    if (s + window < from) continue;
    out.push({ inputs: z.slice(s, s + window).map((v) => [v]), targets: z.slice(s + 1, s + window + 1).map((v) => [v]) });
  }
  return out;
}

const changes = (values: readonly number[]) => values.slice(1).map((v, i) => v - values[i]);

export const forecasterPipeline: Pipeline<"forecaster", number[], SeriesExample, ForecastRequest, Forecast, ForecasterOptions> = {
  ...forecasterSpec,

  parse: (text, file) => parseNumericSeries(text, { column: file.column, source: file.name }).values,
  columns: seriesColumns,
  isItem: (x) => typeof x === "number" && Number.isFinite(x),
  itemFormat: "a finite number",
  size: (data) => data.length,

  holdOut(values, testFraction) {
    const cut = Math.round(values.length * (1 - testFraction));
    return { train: values.slice(0, cut), test: values.slice(cut) };
  },

  design(train, o, data) {
    const window = o.window;
    if (train.length < window + 3) throw new GatedError(`forecaster: the training series has ${train.length} values; at least window + 3 = ${window + 3} are needed`);
    const diffs = changes(train);
    const mean = diffs.reduce((a, v) => a + v, 0) / diffs.length;
    const std = Math.sqrt(diffs.reduce((a, v) => a + (v - mean) ** 2, 0) / diffs.length) || 1;
    if (!Number.isFinite(mean) || !Number.isFinite(std)) {
      throw new GatedError(`forecaster: the series' values are too large to learn from (their changes overflow: the largest is ${train.reduce((m, v) => Math.max(m, Math.abs(v)), 0)}); scale the series down`);
    }
    const config: TaggerConfig = {
      type: "tagger",
      ...encoderConfig({ features: 1 }, o, { bidirectional: false }),
      headDropout: 0,
      head: "regression",
      outputs: 1,
    };
    return { config, card: { kind: "forecaster", version: 1, data, mean, std, window, tail: train.slice(-(window + 1)) } };
  },

  // Validation is the end of the training series, by time, like the test part.
  examples(card, train, o) {
    const z = changes(train).map((d) => (d - card.mean) / card.std);
    const cut = Math.round(z.length * (1 - o.validationSplit));
    return { train: windows(z, card.window, 0, cut), validation: windows(z, card.window, cut, z.length) };
  },

  task: (model) => regressionTask(model as SequenceTagger),

  evaluate(model, card, { test, train }) {
    const m = model as SequenceTagger;
    const full = [...train, ...test];
    const z = changes(full).map((d) => (d - card.mean) / card.std);
    // Changes z[k] lead to full[k + 1]; the held-out values are full[train.length …].
    const tests = windows(z, card.window, train.length - 1, z.length);
    const series = { actual: [] as number[], predicted: [] as number[], naive: [] as number[], history: [...train], heldOut: [...test] };
    // The windows' targets are the last tests.length changes; the first leads from full[first] to full[first + 1].
    const first = z.length - tests.length;
    let se = 0, naive = 0;
    m.evaluating(() => {
      for (const [i, w] of tests.entries()) {
        const out = m.forward(featureBatch([w.inputs], 1)).out.data;
        const last = w.inputs.length - 1;
        const actual = w.targets[last][0] * card.std;
        const predicted = out[last] * card.std;
        const repeat = w.inputs[last][0] * card.std; // "the same change as last time"
        se += (predicted - actual) ** 2;
        naive += (repeat - actual) ** 2;
        const base = full[first + i];
        series.actual.push(base + actual + card.mean);
        series.predicted.push(base + predicted + card.mean);
        series.naive.push(base + repeat + card.mean);
      }
    });
    const n = Math.max(1, tests.length);
    return {
      count: tests.length,
      unit: "steps",
      metrics: [{ key: "rmse", label: "one-step RMSE", value: Math.sqrt(se / n), format: "number", better: "lower" }],
      baselines: [{ key: "naive", label: "repeating the last change", value: Math.sqrt(naive / n), format: "number", better: "lower" }],
      examples: [],
      series,
    };
  },

  predict: (model, card, request) => (onlyKeys(request, ["steps", "history"], "a forecast request"), { values: forecast(model as SequenceTagger, card, request.history ?? card.tail, request.steps) }),

  /** The input is a list of numbers (comma- or space-separated), or empty for the end of the training series. */
  inspect(model, card, input) {
    const m = model as SequenceTagger;
    const values = input.trim() ? input.split(/[\s,;]+/).filter(Boolean).map(Number) : card.tail;
    if (values.length < 2 || values.some((v) => !Number.isFinite(v))) throw new GatedError("give at least two numbers, separated by commas or spaces");
    const z = values.slice(1).map((v, i) => [(v - values[i] - card.mean) / card.std]);
    const gates = m.evaluating(() => {
      m.forward(featureBatch([z], 1));
      return m.encoder.rnn.gates();
    });
    return { steps: [{ label: "changes", tokens: values.slice(1).map((v) => String(v)), gates }] };
  },
};

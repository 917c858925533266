// The time-series page's arithmetic: the seasonal naive forecast (each step
// repeats the value one season earlier, from the history alone), the RMSE
// over the steps where the truth is known, and the chart's aligned columns
// and time axis.

import type { SeriesTime } from "../../../lib/data/presets.ts";

/** The next `steps` values as the last season of `history` repeated. */
export function seasonalNaive(history: readonly number[], steps: number, season: number): number[] {
  const m = Math.min(season, history.length);
  return Array.from({ length: steps }, (_, k) => history[history.length - m + (k % m)]);
}

/** Root mean squared error over the steps both have (NaN when none). */
export function rmse(predicted: readonly number[], truth: readonly number[]): number {
  const n = Math.min(predicted.length, truth.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += (predicted[i] - truth[i]) ** 2;
  return n ? Math.sqrt(s / n) : NaN;
}

/** Columns for one chart: the last `context` values of the history, then the held-out truth and the forecasts over the horizon (NaN where a line has no value). */
export function chartColumns(history: readonly number[], heldOut: readonly number[], forecasts: Record<string, readonly number[]>, context: number) {
  const start = Math.max(0, history.length - context);
  const horizon = Math.max(0, ...Object.values(forecasts).map((f) => f.length));
  const length = history.length - start + Math.max(horizon, Math.min(heldOut.length, horizon));
  const x = Array.from({ length }, (_, i) => start + i);
  const at = (values: readonly number[], offset: number) => x.map((i) => (i - offset >= 0 && i - offset < values.length ? values[i - offset] : NaN));
  // The history's last value starts every other line, so they join it.
  const joined = (values: readonly number[]) => at([history[history.length - 1], ...values], history.length - 1);
  return {
    x,
    history: at(history, 0),
    truth: joined(heldOut.slice(0, horizon)),
    forecasts: Object.fromEntries(Object.entries(forecasts).map(([k, f]) => [k, joined(f)])),
  };
}

/** The chart's x axis for a series of `length` values: years where its time is known (its last value at `time.last`), else steps. */
export function timeAxis(time: SeriesTime | undefined, length: number): { label: string; at: (index: number) => number } {
  return time ? { label: "year", at: (i) => time.last - (length - 1 - i) / time.perYear } : { label: "step", at: (i) => i };
}

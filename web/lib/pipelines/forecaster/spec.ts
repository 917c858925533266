// Forecasting a time series as a page sees it: the spec, the columns a file
// offers, and what a prediction asks and answers.

import { numericColumns } from "../../data/formats.ts";
import { type OptionValuesOf, optionSpecs } from "../options.ts";
import type { PipelineSpec } from "../spec.ts";

export interface ForecastRequest {
  steps: number;
  /** Values to continue (at least window + 1); by default the end of the training series. */
  history?: number[];
}

export interface Forecast {
  /** The next `steps` values, each fed back in to make the one after. */
  values: number[];
}

/** The columns of a CSV file a series can be read from (the default last): a page lists them when a file is chosen. */
export const seriesColumns = (text: string, file: { name: string }): string[] => numericColumns(text, file.name);

export const forecasterSpec = {
  kind: "forecaster",
  name: "forecast",
  title: "Time series",
  about: "Reads a series step by step and predicts the next value; forecasts feed each prediction back in.",
  fileFormat: "CSV with a header row; one numeric column is read: the last that holds numbers, unless you choose another",
  commandLine: "forecast --model FILE --steps 12",
  testFraction: 0.2,
  options: optionSpecs(
    { cell: "gru", hiddenSize: 32, epochs: 40, batchSize: 16, lr: 0.005, patience: 5, validationSplit: 0.2 },
    [{ key: "window", flag: "window", label: "Window", description: "Steps the model reads before each prediction it is trained on.", group: "model", type: "integer", default: 24, min: 2, max: 10000 }],
    ["embeddingDim", "bidirectional", "merge"],
  ),
} satisfies PipelineSpec<"forecaster">;

/** The options a forecaster run reads, typed by their declarations. */
export type ForecasterOptions = OptionValuesOf<typeof forecasterSpec.options>;

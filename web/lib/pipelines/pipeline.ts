// A pipeline is one task whole: the data a user's file holds, the held-out
// split, the model's config and card designed from the training data, the
// training examples and task, held-out evaluation as data, and predictions.
// The CLI, the worker service and the playground drive every task through
// this one interface; adding a task means adding one pipeline module.

import type { Model, ModelConfig } from "../models/create.ts";
import type { StepTensors } from "../layers/recurrent.ts";
import type { CardOf, DataSource, Metric } from "../persist/card.ts";
import type { PipelineKind } from "./kind.ts";
import type { TrainSettings } from "../training/settings.ts";
import type { Task } from "../training/task.ts";
import type { Random } from "../util/random.ts";
import type { OptionValues, TrainingValues } from "./options.ts";
import type { PipelineSpec } from "./spec.ts";

/** A pipeline: its spec (plain data a page may import) and what only a worker runs. */
export interface Pipeline<K extends PipelineKind, D, E, Q, R, O = OptionValues> extends PipelineSpec<K> {
  /** The data in a user's file; `name` decides CSV or TSV and names the file in errors. */
  parse(text: string, file: { name: string; column?: string }): D;
  /** Where the data is one column of a file: the columns it can be read from (the default last). */
  columns?(text: string, file: { name: string }): string[];
  /** Whether a value is one item of this pipeline's data (items handed in directly are checked with it before anything is built). */
  isItem(item: unknown): boolean;
  /** One item as a reader of an error message should picture it. */
  readonly itemFormat: string;
  /** Items in the data. */
  size(data: D): number;
  /** A seeded split into the part to train on and the part held out for testing. */
  holdOut(data: D, testFraction: number, seed: number): { train: D; test: D };
  /** The model's config and card, from the training data and the options (checked and complete). */
  design(train: D, options: O, source: DataSource): { config: ModelConfig; card: CardOf<K> };
  /** Training examples (and validation examples, where the pipeline splits its own) in the card's vocabulary. */
  examples(card: CardOf<K>, train: D, options: O): { train: E[]; validation?: E[] };
  /** The training task over the model (options: training settings the task itself applies, e.g. truncated BPTT). */
  task(model: Model, card: CardOf<K>, options: O): Task<E>;
  /** Metrics and examples on the held-out part, in evaluation mode (the training part tells which samples are new). */
  evaluate(model: Model, card: CardOf<K>, data: { test: D; train: D }, seed: number): Evaluation;
  /** Whether predictions use the data the model was trained on (samples marked new or known), so a loaded model's built-in data set is worth fetching. */
  readonly predictsWithData?: boolean;
  /** The model's answers to a request, in evaluation mode; with the data it was trained on, where the caller has it, samples say whether they are new. */
  predict(model: Model, card: CardOf<K>, request: Q, rng: Random, data?: { test: D; train: D }): R;
  /** What the recurrent cells did over one input (and, for a translator, over its translation), where the pipeline reads text or series. */
  inspect?(model: Model, card: CardOf<K>, input: string): Inspection;
}

/** The cells at work over one input: the tokens (or values) each step read, and per layer and direction every step's gates. */
export interface Inspection {
  steps: { label: string; tokens: string[]; gates: StepTensors }[];
}

/** Any pipeline, whatever its data: what a registry holds and generic drivers take. */
export type AnyPipeline = Pipeline<any, any, any, any, any, any>;

export type { Metric };

/** One held-out item and what the model made of it. */
export interface ExampleRow {
  input: string;
  output: string;
  expected?: string;
  correct?: boolean;
  /** The model's probability for its answer, where it has one. */
  confidence?: number;
  /** For samples: whether the text is new (in none of the data). */
  novel?: boolean;
}

export interface Evaluation {
  /** Items scored, and what they are ("texts", "pairs", "months", "samples"). */
  count: number;
  unit: string;
  /** The headline metric first. */
  metrics: Metric[];
  /** What a trivial predictor scores on the same items. */
  baselines: Metric[];
  /** The most confident mistakes first, then the most confident successes (or samples). */
  examples: ExampleRow[];
  /** Counts by true label (rows) and predicted label (columns). */
  confusion?: { labels: string[]; counts: number[][] };
  /** Held-out truth and the model's one-step predictions (with the naive ones), and the whole series split in two, for charts. */
  series?: { actual: number[]; predicted: number[]; naive: number[]; history: number[]; heldOut: number[] };
  /** Something the reader of these numbers must know (items the model could not have got right, say). */
  note?: string;
}

/** Training settings from resolved options (shared keys: epochs, batchSize, lr, optimizer, clipNorm, clipValue, patience, validationSplit, seed). */
export function trainSettings(o: TrainingValues, hasOwnValidation: boolean): TrainSettings {
  return {
    epochs: o.epochs,
    batchSize: o.batchSize,
    optimizer: o.optimizer,
    optimizerOptions: { lr: o.lr },
    ...(o.clipNorm > 0 ? { clipNorm: o.clipNorm } : {}),
    ...(o.clipValue > 0 ? { clipValue: o.clipValue } : {}),
    ...(hasOwnValidation ? {} : { validationSplit: o.validationSplit }),
    earlyStopping: { patience: o.patience },
    seed: o.seed,
  };
}

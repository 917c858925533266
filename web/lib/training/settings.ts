// How to train, as plain data a checkpoint keeps (with the callbacks and
// workers a session also takes), how long one call to run() goes on, and
// the checks of both.

import { GatedError } from "../errors.ts";
import type { OptimizerKind, OptimizerOptions } from "../optim/optimizer.ts";
import type { DataParallel } from "../parallel/data-parallel.ts";
import type { EpochReport, Progress } from "./reports.ts";
import type { Schedule } from "./schedules.ts";

/** How to train; every entry is plain data, so it can be saved in a checkpoint. */
export interface TrainSettings {
  epochs: number;
  batchSize: number;
  optimizer?: OptimizerKind;
  optimizerOptions?: OptimizerOptions;
  schedule?: Schedule;
  /** Clip gradients to this global L2 norm (and/or each entry to ±value). */
  clipNorm?: number;
  clipValue?: number;
  /** Fraction of the examples held out for validation (ignored when `validation` is given). */
  validationSplit?: number;
  /** Stop when the validation loss has not improved by minDelta for `patience` epochs, and restore the best weights. */
  earlyStopping?: { patience: number; minDelta?: number };
  /** Bucket batches by length (default true when the task gives lengths). */
  bucketing?: boolean;
  seed?: number;
}

/** Settings and what a session reports to, and where it computes gradients. */
export interface SessionOptions<E = unknown> extends TrainSettings {
  /** Validation examples to use instead of a split of the training examples. */
  validation?: readonly E[];
  /** Least milliseconds between two progress reports (default 100: at most 10 a second); the last batch of an epoch always reports. */
  progressInterval?: number;
  /** Add each parameter's gradient norm (before clipping) to the progress reports. */
  parameterNorms?: boolean;
  onProgress?: (progress: Progress) => void;
  onEpoch?: (epoch: EpochReport) => void;
  /** Compute each batch's gradients on these workers (see parallel/data-parallel.ts); the task must give payloads. */
  parallel?: DataParallel;
}

/** How long run() goes on: at most this many batches, seconds or epochs (whichever ends first); none means to the end. */
export interface RunLimit {
  batches?: number;
  seconds?: number;
  epochs?: number;
}

/** The plain-data settings of session options (what a checkpoint keeps). */
export function settingsOf(o: TrainSettings): TrainSettings {
  const keys: (keyof TrainSettings)[] = ["epochs", "batchSize", "optimizer", "optimizerOptions", "schedule", "clipNorm", "clipValue", "validationSplit", "earlyStopping", "bucketing", "seed"];
  return JSON.parse(JSON.stringify(Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]))));
}

export function checkSettings<O extends TrainSettings>(o: O): O {
  if (!o || typeof o !== "object") throw new GatedError("training options {epochs, batchSize, …} are required");
  const positiveInt = (k: "epochs" | "batchSize") => {
    if (!(Number.isInteger(o[k]) && o[k] >= 1)) throw new GatedError(`${k} must be a positive integer, got ${o[k]}`);
  };
  positiveInt("epochs");
  positiveInt("batchSize");
  if (o.validationSplit !== undefined && !(o.validationSplit >= 0 && o.validationSplit < 1)) {
    throw new GatedError(`validationSplit must be in [0, 1), got ${o.validationSplit}`);
  }
  for (const k of ["clipNorm", "clipValue"] as const) {
    if (o[k] !== undefined && !(o[k]! > 0 && Number.isFinite(o[k]))) throw new GatedError(`${k} must be a number > 0, got ${o[k]}`);
  }
  if (o.earlyStopping && !(Number.isInteger(o.earlyStopping.patience) && o.earlyStopping.patience >= 1)) {
    throw new GatedError(`earlyStopping.patience must be a positive integer, got ${o.earlyStopping.patience}`);
  }
  if (o.seed !== undefined && !Number.isInteger(o.seed)) throw new GatedError(`seed must be an integer, got ${o.seed}`);
  return o;
}

export function checkLimit(limit: RunLimit): void {
  for (const [k, v] of Object.entries(limit)) {
    if (!["batches", "seconds", "epochs"].includes(k)) throw new GatedError(`run: unknown limit ${k}; use batches, seconds or epochs`);
    if (v !== undefined && !(typeof v === "number" && v > 0)) throw new GatedError(`run: ${k} must be a number > 0, got ${v}`);
  }
}

// The training loop shared by every model: epochs of seeded, length-bucketed
// minibatches; an optimizer step per batch after gradient clipping;
// validation with the task's metrics; learning-rate schedules; early
// stopping that restores the best weights; progress callbacks and
// cancellation. A non-finite loss or gradient stops training with a clear
// message and puts back the last weights that gave a finite loss.

import { GatedError } from "../errors.ts";
import type { EngineContext } from "../layers/context.ts";
import type { Module } from "../layers/module.ts";
import type { Parameter } from "../layers/parameter.ts";
import type { StepResult } from "../models/classifier.ts";
import type { Payload } from "../parallel/payload.ts";
import type { DataParallel } from "../parallel/data-parallel.ts";
import { Optimizer, type OptimizerKind, type OptimizerOptions } from "../optim/optimizer.ts";
import { clipGradNorm, clipGradValue } from "../optim/clip.ts";
import { Random } from "../util/random.ts";
import { makeBatches, split } from "./batches.ts";
import { type Schedule, Scheduler } from "./schedules.ts";

/** What the trainer needs from a model and its data. */
export interface Task<E> {
  readonly model: Module;
  /** Forward (and, when training, backward with accumulating gradients) on a batch of examples. */
  step(examples: E[], train: boolean): StepResult;
  /** The batch as one model call that a worker can run (data-parallel training); absent if the task cannot be split. */
  payload?(examples: E[]): Payload;
  /** Length used to bucket examples into batches of similar length. */
  length?(example: E): number;
  /** Extra validation metrics (exact match, BLEU, …) computed on the validation examples. */
  evaluate?(examples: E[]): Record<string, number>;
  /** Report perplexity, exp(mean loss per token). */
  perplexity?: boolean;
}

export interface TrainOptions {
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
  validation?: unknown[];
  /** Stop when the validation loss has not improved by minDelta for `patience` epochs, and restore the best weights. */
  earlyStopping?: { patience: number; minDelta?: number };
  /** Bucket batches by length (default true when the task gives lengths). */
  bucketing?: boolean;
  seed?: number;
  onProgress?: (progress: Progress) => void;
  onEpoch?: (epoch: EpochReport) => void;
  signal?: AbortSignal;
  /** Compute each batch's gradients on these workers (see parallel/data-parallel.ts); the task must give payloads. */
  parallel?: DataParallel;
}

export interface Progress {
  epoch: number;
  /** Batch within the epoch, 1-based, of `batches`. */
  batch: number;
  batches: number;
  /** Running mean loss over this epoch's batches so far. */
  loss: number;
  /** Training throughput so far this epoch. */
  sequencesPerSecond: number;
  lr: number;
}

export interface EpochReport {
  epoch: number;
  trainLoss: number;
  trainAccuracy?: number;
  validationLoss?: number;
  validationAccuracy?: number;
  perplexity?: number;
  metrics: Record<string, number>;
  lr: number;
  seconds: number;
  sequencesPerSecond: number;
}

export interface TrainResult {
  history: EpochReport[];
  /** Why training ended. */
  stopped: "completed" | "early-stopping" | "cancelled";
  bestEpoch: number;
}

/** A copy of all parameter values in engine memory, to put back later. */
class Snapshot {
  private readonly ptrs: number[];

  constructor(private readonly ctx: EngineContext, private readonly params: readonly Parameter[]) {
    this.ptrs = params.map((p) => ctx.arena.alloc(p.size * 4));
  }

  save(): void {
    this.params.forEach((p, i) => this.ctx.kernels.copyRows(1, p.size, p.value, p.size, this.ptrs[i], p.size));
  }

  restore(): void {
    this.params.forEach((p, i) => this.ctx.kernels.copyRows(1, p.size, this.ptrs[i], p.size, p.value, p.size));
  }

  release(): void {
    for (const ptr of this.ptrs) this.ctx.arena.release(ptr);
  }
}

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function train<E>(ctx: EngineContext, task: Task<E>, examples: readonly E[], options: TrainOptions): Promise<TrainResult> {
  const o = checkOptions(options);
  const seed = o.seed ?? 0;
  const { train: trainSet, validation } = o.validation
    ? { train: [...examples], validation: o.validation as E[] }
    : split(examples, o.validationSplit ?? 0, seed);
  if (trainSet.length === 0) throw new GatedError("training needs at least one example (after the validation split)");
  const model = task.model;
  const parallel = o.parallel;
  if (parallel && !task.payload) throw new GatedError("this task cannot be split across workers (truncated BPTT runs on one thread)");
  if (parallel && parallel.model !== model) throw new GatedError("the DataParallel was made for another model");
  const params = model.parameters();
  const optimizer = new Optimizer(ctx, o.optimizer ?? "adam", params, o.optimizerOptions);
  const scheduler = new Scheduler(o.schedule ?? { type: "constant" }, optimizer.lr, o.epochs);
  const lastGood = new Snapshot(ctx, params);
  const best = o.earlyStopping ? new Snapshot(ctx, params) : null;
  const rng = new Random(seed + 1);
  const history: EpochReport[] = [];
  let bestLoss = Infinity;
  let bestEpoch = 0;
  let stale = 0;
  let stopped: TrainResult["stopped"] = "completed";
  const bucketing = (o.bucketing ?? true) && task.length ? task.length.bind(task) : undefined;

  try {
    for (let epoch = 1; epoch <= o.epochs && stopped === "completed"; epoch++) {
      model.train();
      const start = performance.now();
      let lossSum = 0, lossCount = 0, correct = 0, counted = 0, sequences = 0;
      let lastYield = performance.now();
      const batches = makeBatches(trainSet, o.batchSize, rng, bucketing);
      for (let b = 0; b < batches.length; b++) {
        if (performance.now() - lastYield > 50) {
          await yieldToEvents(); // lets a cancellation (or a UI) get through
          lastYield = performance.now();
        }
        if (o.signal?.aborted) {
          stopped = "cancelled";
          break;
        }
        model.zeroGrad();
        const r = parallel ? await parallel.step(parallel.split(batches[b]).map((part) => task.payload!(part)), true) : task.step(batches[b], true);
        if (!Number.isFinite(r.loss)) {
          lastGood.restore();
          throw new GatedError(`training stopped at epoch ${epoch}, batch ${b + 1}: the loss is ${r.loss}; the weights from before the last update were restored (try a lower learning rate or gradient clipping)`);
        }
        // These weights gave a finite loss: the ones to come back to if the update spoils them.
        lastGood.save();
        try {
          if (o.clipValue) clipGradValue(ctx, params, o.clipValue);
          if (o.clipNorm) clipGradNorm(ctx, params, o.clipNorm);
          else if (params.some((p) => ctx.kernels.countNonFinite(p.grad, p.size) > 0)) throw new GatedError("the gradients contain NaN or infinite values");
        } catch (e) {
          lastGood.restore();
          throw new GatedError(`training stopped at epoch ${epoch}, batch ${b + 1}: ${(e as Error).message}; the last good weights were restored`);
        }
        optimizer.step();
        lossSum += r.loss * r.count;
        lossCount += r.count;
        if (r.correct !== undefined) {
          correct += r.correct;
          counted += r.count;
        }
        sequences += batches[b].length;
        o.onProgress?.({
          epoch, batch: b + 1, batches: batches.length, loss: lossSum / lossCount,
          sequencesPerSecond: sequences / ((performance.now() - start) / 1000), lr: optimizer.lr,
        });
      }
      if (stopped === "cancelled") break;
      const seconds = (performance.now() - start) / 1000;
      const report: EpochReport = {
        epoch, trainLoss: lossSum / lossCount, lr: optimizer.lr, seconds, sequencesPerSecond: sequences / seconds, metrics: {},
      };
      if (counted) report.trainAccuracy = correct / counted;
      if (validation.length) {
        Object.assign(report, evaluate(task, validation, o.batchSize));
        if (!Number.isFinite(report.validationLoss)) {
          lastGood.restore();
          throw new GatedError(`training stopped after epoch ${epoch}: the validation loss is ${report.validationLoss}; the last good weights were restored`);
        }
      }
      const monitored = report.validationLoss ?? report.trainLoss;
      if (task.perplexity) report.perplexity = Math.exp(monitored);
      history.push(report);
      o.onEpoch?.(report);
      if (monitored < bestLoss - (o.earlyStopping?.minDelta ?? 0)) {
        bestLoss = monitored;
        bestEpoch = epoch;
        stale = 0;
        best?.save();
      } else if (o.earlyStopping && ++stale >= o.earlyStopping.patience) {
        stopped = "early-stopping";
      }
      optimizer.lr = scheduler.next(optimizer.lr, epoch, monitored);
    }
    if (best && bestEpoch > 0) best.restore();
  } finally {
    model.eval();
    lastGood.release();
    best?.release();
    optimizer.dispose();
  }
  return { history, stopped, bestEpoch };
}

/** Mean loss (and accuracy) over examples in evaluation mode, plus the task's own metrics. */
export function evaluate<E>(task: Task<E>, examples: readonly E[], batchSize: number): Partial<EpochReport> & { metrics: Record<string, number> } {
  return task.model.evaluating(() => {
    let lossSum = 0, lossCount = 0, correct = 0, counted = 0;
    for (let i = 0; i < examples.length; i += batchSize) {
      const r = task.step(examples.slice(i, i + batchSize), false);
      lossSum += r.loss * r.count;
      lossCount += r.count;
      if (r.correct !== undefined) {
        correct += r.correct;
        counted += r.count;
      }
    }
    const out: Partial<EpochReport> & { metrics: Record<string, number> } = {
      validationLoss: lossSum / lossCount,
      metrics: task.evaluate ? task.evaluate([...examples]) : {},
    };
    if (counted) out.validationAccuracy = correct / counted;
    return out;
  });
}

function checkOptions(o: TrainOptions): TrainOptions {
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
  return o;
}

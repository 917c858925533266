// A training run that its caller drives and watches: one batch at a time
// (step), for a budget of batches, seconds or epochs (run), paused, resumed,
// stopped, continued for more epochs, and saved as a checkpoint from which
// the same run goes on bit for bit. Epochs are seeded, length-bucketed
// minibatches; each batch's gradients are clipped and one optimizer step
// follows; epochs end with validation, the schedule and early stopping
// (which restores the best weights when the run finishes). A non-finite
// loss or gradient stops the run and puts back the last weights that gave
// a finite loss.

import { GatedError } from "../errors.ts";
import type { EngineContext } from "../layers/context.ts";
import type { Parameter } from "../layers/parameter.ts";
import type { StepResult } from "../models/classifier.ts";
import type { DataParallel } from "../parallel/data-parallel.ts";
import type { Payload } from "../parallel/payload.ts";
import { Optimizer, type OptimizerKind, type OptimizerOptions, type OptimizerState } from "../optim/optimizer.ts";
import { clipGradNorm, clipGradValue, gradNorm } from "../optim/clip.ts";
import type { Module } from "../layers/module.ts";
import type { Tensor } from "../tensor.ts";
import { fingerprint } from "../util/fingerprint.ts";
import { Random } from "../util/random.ts";
import { makeBatches, split } from "./batches.ts";
import { type Schedule, Scheduler, type SchedulerState } from "./schedules.ts";

/** What training needs from a model and its data. */
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

export interface Progress {
  epoch: number;
  epochs: number;
  /** Batch within the epoch, 1-based, of `batches`. */
  batch: number;
  batches: number;
  /** Batches done since the start of the run. */
  steps: number;
  /** Running mean loss over this epoch's batches so far. */
  loss: number;
  /** Running accuracy over this epoch, where the task counts correct predictions. */
  accuracy?: number;
  lr: number;
  /** Training throughput so far this epoch (time spent paused does not count). */
  sequencesPerSecond: number;
  /** Global L2 norm of this batch's gradient before clipping. */
  gradNorm: number;
  /** Each parameter's gradient norm before clipping, by state-dict name (when asked for). */
  parameterNorms?: Record<string, number>;
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

export type SessionState = "ready" | "running" | "paused" | "stopped" | "finished";
/** completed: every epoch ran; early-stopping: validation stopped improving; diverged: a loss or gradient was not finite. */
export type FinishReason = "completed" | "early-stopping" | "diverged";

export interface SessionStatus {
  state: SessionState;
  /** Why the run finished, once it has. */
  finished?: FinishReason;
  /** Epochs fully done, and batches done in the current one. */
  epoch: number;
  batch: number;
  epochs: number;
  history: EpochReport[];
  bestEpoch: number;
}

/** How long run() goes on: at most this many batches, seconds or epochs (whichever ends first); none means to the end. */
export interface RunLimit {
  batches?: number;
  seconds?: number;
  epochs?: number;
}

/** A session's whole state as plain data and tensors (see persist/checkpoint.ts). */
export interface SessionSnapshot {
  /** Everything but tensors, as JSON. */
  state: SavedState;
  weights: Record<string, Tensor>;
  optimizer: Record<string, Tensor>;
  /** The best epoch's weights, kept by early stopping. */
  best: Record<string, Tensor>;
}

export interface SavedState {
  settings: TrainSettings;
  progressInterval: number;
  epoch: number;
  batch: number;
  /** The shuffling generator's state at the start of the current epoch. */
  rng: number[];
  /** The engine's dropout generator. */
  dropoutRng: number;
  epochTotals: EpochTotals;
  optimizer: { steps: number; lr: number };
  scheduler: SchedulerState;
  early: { bestLoss: number | null; bestEpoch: number; stale: number };
  history: EpochReport[];
  finished: FinishReason | null;
  steps: number;
  /** fingerprint() of the training and validation examples. */
  data: string;
}

interface EpochTotals {
  lossSum: number;
  lossCount: number;
  correct: number;
  counted: number;
  sequences: number;
  /** Seconds spent on this epoch's batches so far. */
  seconds: number;
}

const emptyTotals = (): EpochTotals => ({ lossSum: 0, lossCount: 0, correct: 0, counted: 0, sequences: 0, seconds: 0 });

/** A copy of all parameter values in engine memory, to put back later. */
class Snapshot {
  private readonly ptrs: number[];

  constructor(private readonly ctx: EngineContext, private readonly params: readonly Parameter[]) {
    this.ptrs = ctx.arena.atomically(() => params.map((p) => ctx.arena.alloc(p.size * 4)));
  }

  save(): void {
    this.params.forEach((p, i) => this.ctx.kernels.copyRows(1, p.size, p.value, p.size, this.ptrs[i], p.size));
  }

  restore(): void {
    this.params.forEach((p, i) => this.ctx.kernels.copyRows(1, p.size, this.ptrs[i], p.size, p.value, p.size));
  }

  read(names: readonly string[]): Record<string, Tensor> {
    const F = this.ctx.heap.f;
    return Object.fromEntries(this.params.map((p, i) => [names[i], { shape: [...p.shape], data: F.slice(this.ptrs[i] >> 2, (this.ptrs[i] >> 2) + p.size) }]));
  }

  write(tensors: Record<string, Tensor>, names: readonly string[]): void {
    this.params.forEach((p, i) => this.ctx.heap.f.set(p.check(tensors[names[i]], "best weights"), this.ptrs[i] >> 2));
  }

  release(): void {
    for (const ptr of this.ptrs) this.ctx.arena.release(ptr);
  }
}

/** Lets the event loop run (messages to a worker, a Ctrl-C, a page's input) without the 4 ms clamp of nested timers. */
function yieldToEvents(): Promise<void> {
  if (typeof setImmediate === "function") return new Promise((resolve) => setImmediate(resolve));
  const channel = new MessageChannel();
  return new Promise((resolve) => {
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(0);
  });
}

const YIELD_MS = 50;

/** Which session is training each model right now. */
const TRAINING = new WeakMap<Module, object>();

export class TrainingSession<E> {
  private status: SessionState = "ready";
  private finished: FinishReason | null = null;
  private epoch = 1;
  private batchIndex = 0;
  private batches: E[][] | null = null;
  private rngAtEpochStart: number[];
  private totals = emptyTotals();
  private steps = 0;
  private lastProgress = -Infinity;
  private bestLoss = Infinity;
  private bestEpoch = 0;
  private stale = 0;
  private readonly history: EpochReport[] = [];
  private readonly optimizer: Optimizer;
  private readonly scheduler: Scheduler;
  private readonly lastGood: Snapshot;
  private readonly best: Snapshot | null;
  private readonly rng: Random;
  private readonly params: Parameter[];
  private readonly names: string[];
  private readonly trainSet: E[];
  private readonly validation: E[];
  private stopRequested = false;
  private pauseGate: { promise: Promise<void>; open: () => void; reached: Promise<void>; held: () => void } | null = null;
  private disposed = false;
  private readonly options: SessionOptions<E>;

  private constructor(
    private readonly ctx: EngineContext,
    readonly task: Task<E>,
    examples: readonly E[],
    options: SessionOptions<E>,
  ) {
    const o = (this.options = { ...checkSettings(options) });
    const seed = o.seed ?? 0;
    const parts = options.validation ? { train: [...examples], validation: [...options.validation] } : split(examples, o.validationSplit ?? 0, seed);
    if (parts.train.length === 0) throw new GatedError("training needs at least one example (after the validation split)");
    this.trainSet = parts.train;
    this.validation = parts.validation;
    if (options.parallel) this.useParallel(options.parallel);
    const named = task.model.namedParameters();
    this.names = named.map(([n]) => n);
    this.params = named.map(([, p]) => p);
    this.rng = new Random(seed + 1);
    this.rngAtEpochStart = this.rng.state;
    const made = ctx.arena.atomically(() => {
      const optimizer = new Optimizer(ctx, o.optimizer ?? "adam", this.params, o.optimizerOptions);
      return { optimizer, lastGood: new Snapshot(ctx, this.params), best: o.earlyStopping ? new Snapshot(ctx, this.params) : null };
    });
    this.optimizer = made.optimizer;
    this.lastGood = made.lastGood;
    this.best = made.best;
    this.scheduler = new Scheduler(o.schedule ?? { type: "constant" }, this.optimizer.lr, o.epochs);
  }

  /** A new session over a task's model and its examples; nothing runs until step() or run(). */
  static create<E>(ctx: EngineContext, task: Task<E>, examples: readonly E[], options: SessionOptions<E>): TrainingSession<E> {
    return new TrainingSession(ctx, task, examples, options);
  }

  get state(): SessionState {
    return this.status;
  }

  get model(): Module {
    return this.task.model;
  }

  /** The learning rate of the next step (schedules change it between epochs; a caller may too). */
  get lr(): number {
    return this.optimizer.lr;
  }

  set lr(value: number) {
    if (!(Number.isFinite(value) && value >= 0)) throw new GatedError(`lr must be a finite number ≥ 0, got ${value}`);
    this.optimizer.lr = value;
  }

  /** Computes each batch's gradients on these workers from the next batch on (null: on this thread). */
  useParallel(parallel: DataParallel | null): void {
    this.assertLive();
    if (parallel && !this.task.payload) throw new GatedError("this task cannot be split across workers (truncated BPTT runs on one thread)");
    if (parallel && parallel.model !== this.task.model) throw new GatedError("the DataParallel was made for another model");
    this.options.parallel = parallel ?? undefined;
  }

  /** How many examples it trains and validates on. */
  get sizes(): { train: number; validation: number } {
    return { train: this.trainSet.length, validation: this.validation.length };
  }

  get settings(): TrainSettings {
    return settingsOf(this.options);
  }

  info(): SessionStatus {
    return {
      state: this.status,
      ...(this.finished ? { finished: this.finished } : {}),
      epoch: this.epoch - 1,
      batch: this.batchIndex,
      epochs: this.options.epochs,
      history: [...this.history],
      bestEpoch: this.bestEpoch,
    };
  }

  /**
   * Trains on the next batch (ending the epoch after its last one: validation,
   * schedule, early stopping). Returns false when the run has finished.
   */
  async step(): Promise<boolean> {
    this.assertLive();
    if (this.finished) return false;
    if (this.status === "running") throw new GatedError("the session is running; pause() or stop() it before stepping by hand");
    const release = this.claimModel();
    this.status = "running";
    try {
      await this.trainBatch();
    } finally {
      release();
      if (this.status === "running") this.status = this.finished ? "finished" : "ready";
    }
    return !this.finished;
  }

  /** Trains until the limit, the end of the run, or stop(); pause() holds it until resume(). */
  async run(limit: RunLimit = {}): Promise<SessionStatus> {
    this.assertLive();
    checkLimit(limit);
    if (this.status === "running" || this.status === "paused") throw new GatedError("the session is already running");
    if (this.finished) return this.info();
    const release = this.claimModel();
    this.status = "running";
    this.stopRequested = false;
    const start = performance.now();
    const startSteps = this.steps;
    const startEpoch = this.epoch;
    let lastYield = performance.now();
    try {
      for (;;) {
        if (this.pauseGate) {
          this.status = "paused";
          this.pauseGate.held();
          await this.pauseGate.promise;
          this.status = "running";
          lastYield = performance.now();
        }
        if (this.stopRequested) {
          this.status = "stopped";
          break;
        }
        if (this.finished) break;
        if (limit.batches !== undefined && this.steps - startSteps >= limit.batches) break;
        if (limit.epochs !== undefined && this.epoch - startEpoch >= limit.epochs) break;
        if (limit.seconds !== undefined && (performance.now() - start) / 1000 >= limit.seconds) break;
        await this.trainBatch();
        if (performance.now() - lastYield > YIELD_MS) {
          await yieldToEvents();
          lastYield = performance.now();
        }
      }
    } catch (e) {
      this.status = this.finished ? "finished" : "stopped";
      throw e;
    } finally {
      release();
      this.pauseGate?.held();
      this.pauseGate = null;
    }
    if (this.status === "running") this.status = this.finished ? "finished" : "ready";
    return this.info();
  }

  /** Marks the model as trained by this session until the returned function runs; a second session training it at once would interleave their batches. */
  private claimModel(): () => void {
    const model = this.task.model;
    const owner = TRAINING.get(model);
    if (owner && owner !== this) throw new GatedError("this model is being trained by another session (or train() call); wait for it to end, or stop it, before training it again");
    TRAINING.set(model, this);
    return () => {
      if (TRAINING.get(model) === this) TRAINING.delete(model);
    };
  }

  /** Holds a running run() after the current batch, until resume() or stop(); resolves once it is held. */
  pause(): Promise<void> {
    this.assertLive();
    if (this.status !== "running") return Promise.resolve();
    if (!this.pauseGate) {
      let open!: () => void;
      let held!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      const reached = new Promise<void>((resolve) => (held = resolve));
      this.pauseGate = { promise, open, reached, held };
    }
    return this.pauseGate.reached;
  }

  resume(): void {
    const gate = this.pauseGate;
    this.pauseGate = null;
    gate?.held();
    gate?.open();
  }

  /** Ends a running (or paused) run() after the current batch; run() may be called again to go on. */
  stop(): void {
    this.stopRequested = true;
    this.resume();
  }

  /** Adds epochs to the run (a finished one is no longer finished) and runs them; optimizer, schedule and early-stopping state go on as they were. */
  async continue({ epochs }: { epochs: number }): Promise<SessionStatus> {
    this.assertLive();
    if (!(Number.isInteger(epochs) && epochs >= 1)) throw new GatedError(`continue: epochs must be a positive integer, got ${epochs}`);
    if (this.status === "running" || this.status === "paused") throw new GatedError("the session is running; wait for it or stop() it first");
    this.options.epochs += epochs;
    if (this.finished) {
      this.finished = null;
      this.stale = 0;
      this.status = "ready";
    }
    return this.run();
  }

  /** The whole state: weights, optimizer buffers, best weights, and the rest as plain data. */
  snapshot(): SessionSnapshot {
    this.assertLive();
    if (this.status === "running") throw new GatedError("a checkpoint is taken between batches: pause() first, or when run() has returned");
    const F = this.ctx.heap.f;
    const weights = Object.fromEntries(this.params.map((p, i) => [this.names[i], { shape: [...p.shape], data: F.slice(p.value >> 2, (p.value >> 2) + p.size) }]));
    const opt: OptimizerState = this.optimizer.state(this.names);
    const state: SavedState = {
      settings: this.settings,
      progressInterval: this.options.progressInterval ?? 100,
      epoch: this.epoch,
      batch: this.batchIndex,
      // Mid-epoch, the state its batches were drawn from; between epochs, the state the next epoch draws from.
      rng: this.batches ? this.rngAtEpochStart : this.rng.state,
      dropoutRng: this.ctx.heap.i32[this.ctx.rngState >> 2] >>> 0,
      epochTotals: { ...this.totals },
      optimizer: { steps: opt.steps, lr: opt.lr },
      scheduler: this.scheduler.state,
      early: { bestLoss: Number.isFinite(this.bestLoss) ? this.bestLoss : null, bestEpoch: this.bestEpoch, stale: this.stale },
      history: [...this.history],
      finished: this.finished,
      steps: this.steps,
      data: this.dataFingerprint(),
    };
    return { state, weights, optimizer: opt.tensors, best: this.best && this.bestEpoch > 0 ? this.best.read(this.names) : {} };
  }

  /**
   * A session that goes on from a snapshot: the task's model must be built
   * from the same config (its weights are replaced), and the examples must
   * be the ones the snapshot was trained on (checked by fingerprint).
   */
  static restore<E>(ctx: EngineContext, task: Task<E>, examples: readonly E[], snapshot: SessionSnapshot, options: Omit<SessionOptions<E>, keyof TrainSettings> = {}): TrainingSession<E> {
    const s = snapshot.state;
    const session = new TrainingSession(ctx, task, examples, { ...s.settings, progressInterval: s.progressInterval, ...options });
    try {
      if (session.dataFingerprint() !== s.data) throw new GatedError("the checkpoint was made on other data: its examples do not match these");
      task.model.loadStateDict(snapshot.weights);
      session.optimizer.loadState({ steps: s.optimizer.steps, lr: s.optimizer.lr, tensors: snapshot.optimizer }, session.names);
      session.scheduler.state = s.scheduler;
      if (s.early.bestEpoch > 0 && session.best) session.best.write(snapshot.best, session.names);
      session.bestLoss = s.early.bestLoss ?? Infinity;
      session.bestEpoch = s.early.bestEpoch;
      session.stale = s.early.stale;
      session.history.push(...s.history);
      session.finished = s.finished;
      session.status = s.finished ? "finished" : "ready";
      session.steps = s.steps;
      session.epoch = s.epoch;
      session.totals = { ...s.epochTotals };
      session.rng.state = s.rng;
      session.rngAtEpochStart = session.rng.state;
      // Mid-epoch: the same shuffle from the same generator state gives the same batches.
      if (s.batch > 0) {
        session.batches = makeBatches(session.trainSet, s.settings.batchSize, session.rng, session.bucketing);
        if (s.batch >= session.batches.length) throw new GatedError(`the checkpoint is at batch ${s.batch} of an epoch of ${session.batches.length}`);
        session.batchIndex = s.batch;
      }
      ctx.heap.i32[ctx.rngState >> 2] = s.dropoutRng | 0;
    } catch (e) {
      session.dispose();
      throw e;
    }
    return session;
  }

  /**
   * Puts the best epoch's weights (kept by early stopping) into the model, as
   * the end of a run does; returns that epoch, or 0 when there is none.
   */
  keepBest(): number {
    this.assertLive();
    if (this.status === "running") throw new GatedError("the session is running; stop() it first");
    if (!this.best || this.bestEpoch === 0) return 0;
    this.best.restore();
    return this.bestEpoch;
  }

  /** Frees the optimizer's and snapshots' memory (not the model's). */
  dispose(): void {
    if (this.disposed) return;
    this.stop();
    this.optimizer.dispose();
    this.lastGood.release();
    this.best?.release();
    this.disposed = true;
  }

  private get bucketing(): ((e: E) => number) | undefined {
    return (this.options.bucketing ?? true) && this.task.length ? this.task.length.bind(this.task) : undefined;
  }

  private dataFingerprint(): string {
    return fingerprint([this.trainSet, this.validation]);
  }

  private assertLive(): void {
    if (this.disposed) throw new GatedError("this training session was disposed");
  }

  private async trainBatch(): Promise<void> {
    const o = this.options;
    const model = this.task.model;
    if (!this.batches) {
      this.rngAtEpochStart = this.rng.state;
      this.batches = makeBatches(this.trainSet, o.batchSize, this.rng, this.bucketing);
      this.batchIndex = 0;
      this.totals = emptyTotals();
    }
    const batch = this.batches[this.batchIndex];
    const started = performance.now();
    model.train();
    model.zeroGrad();
    const parallel = o.parallel;
    const r = parallel ? await parallel.step(parallel.split(batch).map((part) => this.task.payload!(part)), true) : this.task.step(batch, true);
    const where = `epoch ${this.epoch}, batch ${this.batchIndex + 1}`;
    if (!Number.isFinite(r.loss)) this.diverged(`training stopped at ${where}: the loss is ${r.loss}; the weights from before the last update were restored (try a lower learning rate or gradient clipping)`);
    // These weights gave a finite loss: the ones to come back to if the update spoils them.
    this.lastGood.save();
    const last = this.batchIndex === this.batches.length - 1;
    const report = last || performance.now() - this.lastProgress >= (o.progressInterval ?? 100);
    const parameterNorms = report && o.parameterNorms ? Object.fromEntries(this.params.map((p, i) => [this.names[i], gradNorm(this.ctx, [p])])) : undefined;
    let norm: number;
    try {
      if (o.clipValue) clipGradValue(this.ctx, this.params, o.clipValue);
      norm = o.clipNorm ? clipGradNorm(this.ctx, this.params, o.clipNorm) : gradNorm(this.ctx, this.params);
      if (!Number.isFinite(norm)) throw new GatedError(`the gradient norm is ${norm}; the gradients contain NaN or infinite values`);
    } catch (e) {
      this.diverged(`training stopped at ${where}: ${(e as Error).message}; the last good weights were restored`);
    }
    this.optimizer.step();
    const t = this.totals;
    t.lossSum += r.loss * r.count;
    t.lossCount += r.count;
    if (r.correct !== undefined) {
      t.correct += r.correct;
      t.counted += r.count;
    }
    t.sequences += batch.length;
    t.seconds += (performance.now() - started) / 1000;
    this.steps++;
    this.batchIndex++;
    if (report) {
      this.lastProgress = performance.now();
      o.onProgress?.({
        epoch: this.epoch, epochs: o.epochs, batch: this.batchIndex, batches: this.batches.length, steps: this.steps,
        loss: t.lossSum / t.lossCount, ...(t.counted ? { accuracy: t.correct / t.counted } : {}), lr: this.optimizer.lr,
        sequencesPerSecond: t.sequences / Math.max(t.seconds, 1e-9), gradNorm: norm, ...(parameterNorms ? { parameterNorms } : {}),
      });
    }
    if (last) this.endEpoch();
  }

  /** Puts back the last weights that gave a finite loss and ends the run (continue() may go on, e.g. after lowering lr). */
  private diverged(message: string): never {
    this.lastGood.restore();
    this.finished = "diverged";
    throw new GatedError(message);
  }

  private endEpoch(): void {
    const o = this.options;
    const t = this.totals;
    const started = performance.now();
    const report: EpochReport = {
      epoch: this.epoch, trainLoss: t.lossSum / t.lossCount, lr: this.optimizer.lr, seconds: t.seconds, sequencesPerSecond: t.sequences / Math.max(t.seconds, 1e-9), metrics: {},
    };
    if (t.counted) report.trainAccuracy = t.correct / t.counted;
    this.batches = null;
    this.batchIndex = 0;
    if (this.validation.length) {
      Object.assign(report, evaluate(this.task, this.validation, o.batchSize));
      if (!Number.isFinite(report.validationLoss)) {
        this.epoch++;
        this.diverged(`training stopped after epoch ${this.epoch - 1}: the validation loss is ${report.validationLoss}; the last good weights were restored`);
      }
    }
    report.seconds += (performance.now() - started) / 1000;
    const monitored = report.validationLoss ?? report.trainLoss;
    if (this.task.perplexity) report.perplexity = Math.exp(monitored);
    this.history.push(report);
    if (monitored < this.bestLoss - (o.earlyStopping?.minDelta ?? 0)) {
      this.bestLoss = monitored;
      this.bestEpoch = this.epoch;
      this.stale = 0;
      this.best?.save();
    } else if (o.earlyStopping && ++this.stale >= o.earlyStopping.patience) {
      this.finished = "early-stopping";
    }
    this.optimizer.lr = this.scheduler.next(this.optimizer.lr, this.epoch, monitored);
    this.epoch++;
    if (this.epoch > o.epochs && !this.finished) this.finished = "completed";
    if (this.finished && this.best && this.bestEpoch > 0) this.best.restore();
    o.onEpoch?.(report);
  }
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

/** The plain-data settings of session options (what a checkpoint keeps). */
function settingsOf(o: TrainSettings): TrainSettings {
  const keys: (keyof TrainSettings)[] = ["epochs", "batchSize", "optimizer", "optimizerOptions", "schedule", "clipNorm", "clipValue", "validationSplit", "earlyStopping", "bucketing", "seed"];
  return JSON.parse(JSON.stringify(Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]))));
}

function checkSettings<O extends TrainSettings>(o: O): O {
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

function checkLimit(limit: RunLimit): void {
  for (const [k, v] of Object.entries(limit)) {
    if (!["batches", "seconds", "epochs"].includes(k)) throw new GatedError(`run: unknown limit ${k}; use batches, seconds or epochs`);
    if (v !== undefined && !(typeof v === "number" && v > 0)) throw new GatedError(`run: ${k} must be a number > 0, got ${v}`);
  }
}

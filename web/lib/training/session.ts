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
import type { DataParallel } from "../parallel/data-parallel.ts";
import { Optimizer, type OptimizerState } from "../optim/optimizer.ts";
import { clipGradNorm, clipGradValue, gradNorm } from "../optim/clip.ts";
import { fingerprint } from "../util/fingerprint.ts";
import { Random } from "../util/random.ts";
import { makeBatches, split } from "./batches.ts";
import { RunControl } from "./run-control.ts";
import { addBatch, copyRunState, emptyTotals, epochSoFar, freshRunState, type RunState, type SavedState, type SessionSnapshot } from "./run-state.ts";
import type { EpochReport, SessionState, SessionStatus } from "./reports.ts";
import { Scheduler } from "./schedules.ts";
import { checkLimit, checkSettings, type RunLimit, type SessionOptions, settingsOf, type TrainSettings } from "./settings.ts";
import { claimModel } from "./model-claim.ts";
import { evaluate, type Task } from "./task.ts";
import { WeightCopy } from "./weight-copy.ts";

export class TrainingSession<E> {
  /** What a checkpoint carries of the run, in one record (see run-state.ts). */
  private s: RunState;
  private status: SessionState = "ready";
  /** This epoch's batches, drawn from s.rng when it began (none between epochs). */
  private batches: E[][] | null = null;
  private lastProgress = -Infinity;
  private readonly control = new RunControl();
  private readonly optimizer: Optimizer;
  private readonly scheduler: Scheduler;
  private readonly lastGood: WeightCopy;
  private readonly best: WeightCopy | null;
  private readonly rng: Random;
  private readonly params: Parameter[];
  private readonly names: string[];
  private readonly trainSet: E[];
  private readonly validation: E[];
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
    this.s = freshRunState(this.rng.state);
    const made = ctx.arena.atomically(() => {
      const optimizer = new Optimizer(ctx, o.optimizer ?? "adam", this.params, o.optimizerOptions);
      return { optimizer, lastGood: new WeightCopy(ctx, this.params), best: o.earlyStopping ? new WeightCopy(ctx, this.params) : null };
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

  get model(): Task<E>["model"] {
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
    const s = this.s;
    return {
      state: this.status,
      ...(s.finished ? { finished: s.finished } : {}),
      epoch: s.epoch - 1,
      batch: s.batch,
      epochs: this.options.epochs,
      history: [...s.history],
      bestEpoch: s.early.bestEpoch,
    };
  }

  /**
   * Trains on the next batch (ending the epoch after its last one: validation,
   * schedule, early stopping). Returns false when the run has finished.
   */
  async step(): Promise<boolean> {
    this.assertLive();
    if (this.s.finished) return false;
    if (this.status === "running") throw new GatedError("the session is running; pause() or stop() it before stepping by hand");
    const release = claimModel(this.task.model, this);
    this.status = "running";
    try {
      await this.trainBatch();
    } finally {
      release();
      if (this.status === "running") this.status = this.s.finished ? "finished" : "ready";
    }
    return !this.s.finished;
  }

  /** Trains until the limit, the end of the run, or stop(); pause() holds it until resume(). */
  async run(limit: RunLimit = {}): Promise<SessionStatus> {
    this.assertLive();
    checkLimit(limit);
    if (this.status === "running" || this.status === "paused") throw new GatedError("the session is already running");
    if (this.s.finished) return this.info();
    const release = claimModel(this.task.model, this);
    this.status = "running";
    this.control.begin();
    const start = performance.now();
    const startSteps = this.s.steps;
    const startEpoch = this.s.epoch;
    try {
      for (;;) {
        if (!(await this.control.between((held) => (this.status = held ? "paused" : "running")))) {
          this.status = "stopped";
          break;
        }
        if (this.s.finished) break;
        if (limit.batches !== undefined && this.s.steps - startSteps >= limit.batches) break;
        if (limit.epochs !== undefined && this.s.epoch - startEpoch >= limit.epochs) break;
        if (limit.seconds !== undefined && (performance.now() - start) / 1000 >= limit.seconds) break;
        await this.trainBatch();
      }
    } catch (e) {
      this.status = this.s.finished ? "finished" : "stopped";
      throw e;
    } finally {
      release();
      this.control.end();
    }
    if (this.status === "running") this.status = this.s.finished ? "finished" : "ready";
    return this.info();
  }

  /** Holds a running run() after the current batch, until resume() or stop(); resolves once it is held. */
  pause(): Promise<void> {
    this.assertLive();
    return this.control.pause(this.status === "running");
  }

  resume(): void {
    this.control.resume();
  }

  /** Ends a running (or paused) run() after the current batch; run() may be called again to go on. */
  stop(): void {
    this.control.stop();
  }

  /**
   * Runs fn between two batches of a running run (a forward for a prediction must not land between a
   * batch's forward and its backward, whose caches it would overwrite), then lets the run go on unless
   * a caller paused it meanwhile.
   */
  hold<R>(fn: () => R): Promise<R> {
    this.assertLive();
    return this.control.hold(this.status === "running", fn);
  }

  /** Adds epochs to the run (a finished one is no longer finished) and runs them; optimizer, schedule and early-stopping state go on as they were. */
  async continue({ epochs }: { epochs: number }): Promise<SessionStatus> {
    this.assertLive();
    if (!(Number.isInteger(epochs) && epochs >= 1)) throw new GatedError(`continue: epochs must be a positive integer, got ${epochs}`);
    if (this.status === "running" || this.status === "paused") throw new GatedError("the session is running; wait for it or stop() it first");
    this.options.epochs += epochs;
    if (this.s.finished) {
      this.s.finished = null;
      this.s.early.stale = 0;
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
      ...copyRunState(this.s),
      settings: this.settings,
      progressInterval: this.options.progressInterval ?? 100,
      dropoutRng: this.ctx.heap.i32[this.ctx.rngState >> 2] >>> 0,
      optimizer: { steps: opt.steps, lr: opt.lr },
      scheduler: this.scheduler.state,
      data: this.dataFingerprint(),
    };
    return { state, weights, optimizer: opt.tensors, best: this.best && this.s.early.bestEpoch > 0 ? this.best.read(this.names) : {} };
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
      session.s = copyRunState(s);
      session.status = s.finished ? "finished" : "ready";
      session.rng.state = s.rng;
      // Mid-epoch: the same shuffle from the same generator state gives the same batches.
      if (s.batch > 0) {
        session.batches = makeBatches(session.trainSet, s.settings.batchSize, session.rng, session.bucketing);
        if (s.batch >= session.batches.length) throw new GatedError(`the checkpoint is at batch ${s.batch} of an epoch of ${session.batches.length}`);
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
    if (!this.best || this.s.early.bestEpoch === 0) return 0;
    this.best.restore();
    return this.s.early.bestEpoch;
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
    const s = this.s;
    const model = this.task.model;
    if (!this.batches) {
      s.rng = this.rng.state;
      this.batches = makeBatches(this.trainSet, o.batchSize, this.rng, this.bucketing);
      s.batch = 0;
      s.epochTotals = emptyTotals();
    }
    const batch = this.batches[s.batch];
    const started = performance.now();
    model.train();
    model.zeroGrad();
    const parallel = o.parallel;
    const r = parallel ? await parallel.step(parallel.split(batch).map((part) => this.task.payload!(part)), true) : this.task.step(batch, true);
    const where = `epoch ${s.epoch}, batch ${s.batch + 1}`;
    if (!Number.isFinite(r.loss)) this.diverged(`training stopped at ${where}: the loss is ${r.loss}; the weights from before the last update were restored (try a lower learning rate or gradient clipping)`);
    // These weights gave a finite loss: the ones to come back to if the update spoils them.
    this.lastGood.save();
    const last = s.batch === this.batches.length - 1;
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
    addBatch(s.epochTotals, r, batch.length, (performance.now() - started) / 1000);
    s.steps++;
    s.batch++;
    if (report) {
      this.lastProgress = performance.now();
      o.onProgress?.({
        epoch: s.epoch, epochs: o.epochs, batch: s.batch, batches: this.batches.length, steps: s.steps, ...epochSoFar(s.epochTotals),
        lr: this.optimizer.lr, gradNorm: norm, ...(parameterNorms ? { parameterNorms } : {}),
      });
    }
    if (last) this.endEpoch();
  }

  /** Puts back the last weights that gave a finite loss and ends the run (continue() may go on, e.g. after lowering lr). */
  private diverged(message: string): never {
    this.lastGood.restore();
    this.s.finished = "diverged";
    throw new GatedError(message);
  }

  private endEpoch(): void {
    const o = this.options;
    const s = this.s;
    const started = performance.now();
    const { loss, accuracy, sequencesPerSecond } = epochSoFar(s.epochTotals);
    const report: EpochReport = {
      epoch: s.epoch, trainLoss: loss, ...(accuracy !== undefined ? { trainAccuracy: accuracy } : {}), lr: this.optimizer.lr, seconds: s.epochTotals.seconds, sequencesPerSecond, metrics: {},
    };
    this.batches = null;
    s.batch = 0;
    // Between epochs the record holds the state the next epoch's shuffle starts from.
    s.rng = this.rng.state;
    if (this.validation.length) {
      Object.assign(report, evaluate(this.task, this.validation, o.batchSize));
      if (!Number.isFinite(report.validationLoss)) {
        s.epoch++;
        this.diverged(`training stopped after epoch ${s.epoch - 1}: the validation loss is ${report.validationLoss}; the last good weights were restored`);
      }
    }
    report.seconds += (performance.now() - started) / 1000;
    const monitored = report.validationLoss ?? report.trainLoss;
    if (this.task.perplexity) report.perplexity = Math.exp(monitored);
    s.history.push(report);
    const early = s.early;
    if (monitored < (early.bestLoss ?? Infinity) - (o.earlyStopping?.minDelta ?? 0)) {
      early.bestLoss = monitored;
      early.bestEpoch = s.epoch;
      early.stale = 0;
      this.best?.save();
    } else if (o.earlyStopping && ++early.stale >= o.earlyStopping.patience) {
      s.finished = "early-stopping";
    }
    this.optimizer.lr = this.scheduler.next(this.optimizer.lr, s.epoch, monitored);
    s.epoch++;
    if (s.epoch > o.epochs && !s.finished) s.finished = "completed";
    if (s.finished && this.best && early.bestEpoch > 0) this.best.restore();
    o.onEpoch?.(report);
  }
}


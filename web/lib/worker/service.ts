// The training service: what a worker (a browser module worker or a Node
// worker thread) exposes through Comlink so that a page or a program can
// train and use models without running the engine on its own thread. It
// takes plain-data jobs (a preset, or a file's text, and the pipeline's
// options), streams progress to callbacks (Comlink.proxy), pauses, resumes,
// stops and continues, hands out checkpoints and model files as bytes, loads
// models from bytes, and answers predictions. Each job gets an engine of
// its own, seeded from the job, and the previous one is given up.

import { checkPresetSettings, isPreset, PRESETS, type PresetName, type PresetSettings } from "../data/presets.ts";
import { isPlainObject, kindOf, onlyKeys, optionalBoolean } from "../util/check.ts";
import { createEngine, type Backend, type Engine } from "../engine.ts";
import { GatedError } from "../errors.ts";
import { canShareMemory } from "../backends/features.ts";
import { DataParallel, type ParallelOptions } from "../parallel/data-parallel.ts";
import type { Model, ModelConfig } from "../models/create.ts";
import { decodeCheckpoint } from "../persist/checkpoint.ts";
import type { ModelCard } from "../persist/card.ts";
import type { PipelineKind } from "../pipelines/kind.ts";
import { loadModel, saveModel } from "../persist/model-file.ts";
import { exportOnnx } from "../export/onnx/export.ts";
import { exportPytorch } from "../export/pytorch/export.ts";
import type { Evaluation, Inspection } from "../pipelines/pipeline.ts";
import { pipelineFor, predictWith } from "../pipelines/registry.ts";
import { type DataOrigin, fileData, PipelineRun, type RunHooks } from "../pipelines/run.ts";
import type { PredictRequest, PredictResult } from "../pipelines/specs.ts";
import type { EpochReport, Progress, SessionStatus } from "../training/reports.ts";
import type { RunLimit } from "../training/settings.ts";
import { Random } from "../util/random.ts";

// The types of what the service hands out, so that a page or a program needs no import from the layers below.
export type { EpochReport, Progress, SessionStatus } from "../training/reports.ts";
export type { ModelConfig } from "../models/create.ts";

/** Finds a preset's items where this platform keeps them (Node: npm packages; the playground: its own assets). */
export type PresetLoader = (preset: PresetName, settings: PresetSettings, seed: number) => unknown[] | Promise<unknown[]>;

export interface ServiceOptions {
  backend?: Backend;
  /** Engine memory limit per job (default 2048). */
  maxMemoryMB?: number;
  loadPreset?: PresetLoader;
  /** Starts a data-parallel worker (default: DataParallel's own). */
  spawn?: ParallelOptions["spawn"];
}

/** A training job as plain data. */
export interface TrainingJob {
  /** A built-in data set … */
  preset?: PresetName;
  settings?: PresetSettings;
  /** … or the user's data: the task's pipeline and the file's text (or items already parsed). */
  kind?: PipelineKind;
  file?: { name: string; text: string; column?: string };
  items?: unknown;
  /** The pipeline's options (see its `options`). */
  options?: Record<string, unknown>;
  testFraction?: number;
  /** Threads for data-parallel training (needs shared memory; see RunInfo.threads). */
  threads?: number;
  /** Least milliseconds between progress reports (default 100). */
  progressInterval?: number;
  /** Add per-parameter gradient norms to progress reports. */
  parameterNorms?: boolean;
}

/** What a running job tells its caller: one function (a Comlink.proxy across threads) gets every event. */
export type TrainingEvent = { type: "progress"; progress: Progress } | { type: "epoch"; epoch: EpochReport };
export type EventListener = (event: TrainingEvent) => void;

export interface RunInfo {
  kind: PipelineKind;
  config: ModelConfig;
  card: ModelCard;
  /** Options as resolved (defaults filled in). */
  options: Record<string, unknown>;
  sizes: { train: number; validation: number; test: number };
  weights: number;
  /** Threads training uses, and why one when more were asked for. */
  threads: number;
  threadsNote?: string;
  backend: Backend;
  variant: string;
  status: SessionStatus;
}

export interface ModelInfo {
  kind: PipelineKind;
  config: ModelConfig;
  card: ModelCard;
  weights: number;
}

interface Current {
  engine: Engine;
  model: Model;
  card: ModelCard;
  run?: PipelineRun;
  parallel?: DataParallel;
  /** A loaded model's training data, split as it was (see presetData). */
  data?: { train: unknown; test: unknown };
}

const JOB_KEYS = ["preset", "settings", "kind", "file", "items", "options", "testFraction", "threads", "progressInterval", "parameterNorms"] as const satisfies readonly (keyof TrainingJob)[];

/** A job is plain data from a page or a program: a misspelt key or a wrong type is refused, not ignored. */
function checkJob(job: unknown, keys: readonly string[], what: string): void {
  onlyKeys(job, keys, what);
  const j = job as TrainingJob;
  if (j.preset !== undefined && !isPreset(j.preset)) throw new GatedError(`unknown preset ${JSON.stringify(j.preset)}; the presets are ${Object.keys(PRESETS).join(", ")}`);
  if (j.settings !== undefined) {
    if (j.preset === undefined) throw new GatedError("settings go with a preset");
    checkPresetSettings(j.preset, j.settings);
  }
  if (j.preset !== undefined && (j.kind !== undefined || j.file !== undefined || j.items !== undefined)) throw new GatedError("a job gives a preset or its own data (kind with a file or items), not both");
  if (j.file !== undefined) onlyKeys(j.file, ["name", "text", "column"], "a job's file");
  if (j.options !== undefined && !isPlainObject(j.options)) throw new GatedError(`a job's options must be an object, got ${kindOf(j.options)}`);
  if (j.threads !== undefined && !(Number.isInteger(j.threads) && j.threads >= 1 && j.threads <= 64)) throw new GatedError(`threads must be an integer from 1 to 64, got ${kindOf(j.threads)}`);
  if (j.progressInterval !== undefined && !(typeof j.progressInterval === "number" && j.progressInterval >= 0 && j.progressInterval <= 3_600_000)) throw new GatedError(`progressInterval must be a number of milliseconds from 0 to 3600000, got ${kindOf(j.progressInterval)}`);
  optionalBoolean(j.parameterNorms, "parameterNorms");
}

export class TrainingService {
  private current: Current | null = null;

  constructor(private readonly o: ServiceOptions = {}) {}

  /** What this worker can do: its engine build, whether memory can be shared (for threads). */
  async capabilities(): Promise<{ backend: Backend; variant: string; shared: boolean; isolated: boolean }> {
    const engine = await this.engine(1);
    const info = { backend: engine.backend, variant: engine.variant, shared: engine.shared, isolated: canShareMemory() };
    engine.dispose();
    return info;
  }

  /** Prepares a training run (nothing trains until run()); returns what it is. */
  async start(job: TrainingJob, onEvent?: EventListener): Promise<RunInfo> {
    checkJob(job, JOB_KEYS, "a training job");
    const kind = job.preset ? this.presetKind(job.preset) : job.kind;
    if (!kind) throw new GatedError("a job needs a preset, or a kind and the data (file or items)");
    const pipeline = pipelineFor(kind);
    const seed = typeof job.options?.seed === "number" ? job.options.seed : 1;
    const { items, origin } = await this.data(job, kind, seed);
    await this.release();
    const engine = await this.engine(seed);
    try {
      const run = PipelineRun.start(engine, { kind, items, origin, options: job.options, testFraction: job.testFraction, hooks: this.hooks(job, onEvent) });
      this.current = { engine, model: run.model, card: run.card, run };
      return await this.withThreads(job, pipeline.name);
    } catch (e) {
      engine.dispose();
      throw e;
    }
  }

  /** A run from a checkpoint, given the data it was trained on (a preset's is found again; a file's must be given). */
  async restore(bytes: Uint8Array, job: Pick<TrainingJob, "file" | "items" | "threads" | "progressInterval" | "parameterNorms"> = {}, onEvent?: EventListener): Promise<RunInfo> {
    checkJob(job, JOB_KEYS, "a restore job");
    const { card } = decodeCheckpoint(bytes);
    if (!card) throw new GatedError("the checkpoint holds no model card");
    const { items } = card.data.preset && !job.file && job.items === undefined
      ? await this.data({ preset: card.data.preset, settings: card.data.settings }, card.kind, card.data.seed)
      : await this.data({ items: job.items, kind: card.kind, file: job.file && { column: card.data.column, ...job.file } }, card.kind, card.data.seed);
    await this.release();
    const engine = await this.engine(card.data.seed);
    try {
      const run = PipelineRun.resume(engine, bytes, items, this.hooks(job, onEvent));
      this.current = { engine, model: run.model, card: run.card, run };
      return await this.withThreads(job, pipelineFor(card.kind).name);
    } catch (e) {
      engine.dispose();
      throw e;
    }
  }

  /** Trains until the limit, the end, or stop(); pause() holds it. */
  async run(limit: RunLimit = {}): Promise<SessionStatus> {
    return this.training().session.run(limit);
  }

  /** Trains on one more batch; false once the run has finished. */
  async step(): Promise<boolean> {
    return this.training().session.step();
  }

  async pause(): Promise<void> {
    await this.training().session.pause();
  }

  resume(): void {
    this.training().session.resume();
  }

  stop(): void {
    this.current?.run?.session.stop();
  }

  /** Puts the best epoch's weights (lowest validation loss) into the model, as a finished run has them; returns that epoch (0: none ended yet). */
  keepBest(): number {
    return this.training().session.keepBest();
  }

  async continue(epochs: number): Promise<SessionStatus> {
    return this.training().session.continue({ epochs });
  }

  status(): SessionStatus {
    return this.training().session.info();
  }

  /** The run as it stands (a running one is paused for it, then goes on). */
  async checkpoint(): Promise<Uint8Array> {
    const run = this.training();
    return this.betweenBatches(() => run.checkpoint());
  }

  /** The current model's file (during training: the weights as they are), with the held-out scores of these weights if given. */
  async modelFile(evaluation?: Evaluation): Promise<Uint8Array> {
    const c = this.model();
    return c.run ? this.betweenBatches(() => c.run!.modelFile(evaluation)) : saveModel(c.model, c.card);
  }

  /** Held-out evaluation of the run's model. */
  evaluate(): Evaluation {
    return this.training().evaluate();
  }

  /** Makes a model file the current model (for predictions); any run is given up. */
  async load(bytes: Uint8Array, name = "model file"): Promise<ModelInfo> {
    await this.release();
    const engine = await this.engine(1);
    try {
      const { model, config, card } = loadModel(engine, bytes, name);
      if (!card) throw new GatedError(`${name} holds a bare layer, not a pipeline's model`);
      this.current = { engine, model, card, data: await this.presetData(card) };
      return { kind: card.kind, config, card, weights: model.parameters().reduce((n, p) => n + p.size, 0) };
    } catch (e) {
      engine.dispose();
      throw e;
    }
  }

  /**
   * A model file as ONNX graphs with their JSON description, or as the folder PyTorch runs
   * (predict.py, train.py, …): each file's name and bytes. The current model stays as it is.
   */
  async exportModel(bytes: Uint8Array, format: "onnx" | "pytorch", name = "model"): Promise<Record<string, Uint8Array>> {
    if (format !== "onnx" && format !== "pytorch") throw new GatedError(`format must be onnx or pytorch, got ${String(format)}`);
    const engine = await this.engine(1);
    try {
      const loaded = loadModel(engine, bytes, name);
      if (format === "pytorch") return exportPytorch({ model: loaded });
      return exportOnnx(loaded, `${name}.onnx`).files;
    } finally {
      engine.dispose();
    }
  }

  /**
   * The current model's answer to a request of its pipeline's kind (classify, generate, translate, forecast); while training, between two batches.
   * A request that names its kind (`{ kind: "classifier", texts }`) gets an answer of that kind's type, and is refused by a model of another kind.
   */
  async predict<K extends PipelineKind = PipelineKind>(request: PredictRequest<K>, seed?: number): Promise<PredictResult<K>> {
    const c = this.model();
    const rng = new Random(seed ?? Math.floor(Math.random() * 2 ** 31));
    // The data it learned from (a run's, or a loaded model's built-in data set) tells new samples from known ones.
    return this.betweenBatches(() => predictWith(c.model, c.card, request, rng, c.run?.split ?? c.data));
  }

  /** The current model's cells at work over one input: every step's gates, per layer and direction (while training, between two batches). */
  async inspect(input: string): Promise<Inspection> {
    const c = this.model();
    const pipeline = pipelineFor(c.card.kind);
    if (!pipeline.inspect) throw new GatedError(`a ${c.card.kind} model cannot be looked into here`);
    return this.betweenBatches(() => pipeline.inspect!(c.model, c.card, input));
  }

  /** Runs fn between two batches of the run, if one is training (see TrainingSession.hold). */
  private async betweenBatches<R>(fn: () => R): Promise<R> {
    const session = this.current?.run?.session;
    return session ? session.hold(fn) : fn();
  }

  async dispose(): Promise<void> {
    await this.release();
  }

  private training(): PipelineRun {
    if (!this.current?.run) throw new GatedError("no training run: start() or resume() one first");
    return this.current.run;
  }

  private model(): Current {
    if (!this.current) throw new GatedError("no model: train one or load() one first");
    return this.current;
  }

  private presetKind(preset: string): PipelineKind {
    if (!isPreset(preset)) throw new GatedError(`unknown preset "${preset}"; the presets are ${Object.keys(PRESETS).join(", ")}`);
    return PRESETS[preset].pipeline;
  }

  /** A loaded model's data, split as when it trained, where its predictions use it and it is a built-in data set this worker has. */
  private async presetData(card: ModelCard): Promise<{ train: unknown; test: unknown } | undefined> {
    const { preset, settings = {}, seed, testFraction } = card.data;
    const pipeline = pipelineFor(card.kind);
    if (!pipeline.predictsWithData || !preset || !this.o.loadPreset) return undefined;
    try {
      return pipeline.holdOut(await this.o.loadPreset(preset, settings, seed), testFraction, seed);
    } catch {
      // Not at hand (offline, say): the model answers all the same, its samples unmarked.
      return undefined;
    }
  }

  private async data(job: TrainingJob, kind: PipelineKind, seed: number): Promise<{ items: unknown; origin: DataOrigin }> {
    if (job.preset) {
      if (!this.o.loadPreset) throw new GatedError("this worker has no built-in data sets; send the data itself");
      const settings = job.settings ?? {};
      return { items: await this.o.loadPreset(job.preset, settings, seed), origin: { name: job.preset, preset: job.preset, ...(Object.keys(settings).length ? { settings } : {}) } };
    }
    const pipeline = pipelineFor(kind);
    if (job.file) {
      if (typeof job.file.text !== "string" || typeof job.file.name !== "string") throw new GatedError("a file is {name, text}");
      return fileData(pipeline, job.file.text, { name: job.file.name, column: job.file.column });
    }
    if (job.items === undefined) throw new GatedError("the job has no data: give a preset, a file or items");
    return { items: job.items, origin: { name: "data" } };
  }

  private hooks(job: Pick<TrainingJob, "progressInterval" | "parameterNorms">, onEvent?: EventListener): RunHooks {
    return {
      ...(job.progressInterval !== undefined ? { progressInterval: job.progressInterval } : {}),
      ...(job.parameterNorms ? { parameterNorms: true } : {}),
      // Across threads the listener answers with a promise: nothing waits for it.
      ...(onEvent ? { onProgress: (progress) => void onEvent({ type: "progress", progress }), onEpoch: (epoch) => void onEvent({ type: "epoch", epoch }) } : {}),
    };
  }

  /** Starts data-parallel workers when asked and possible; says how many threads train and why. */
  private async withThreads(job: Pick<TrainingJob, "threads">, task: string): Promise<RunInfo> {
    const c = this.current!;
    const run = c.run!;
    let threads = 1;
    let note: string | undefined;
    const wanted = job.threads ?? 1;
    if (wanted > 1) {
      if (!run.session.task.payload) note = `the ${task} task with these options trains on one thread (truncated BPTT cannot be split)`;
      else {
        const parallel = await DataParallel.create(c.engine, c.model, { workers: wanted, ...(this.o.spawn ? { spawn: this.o.spawn } : {}) });
        threads = parallel.threads;
        note = parallel.reason;
        if (threads > 1) {
          c.parallel = parallel;
          run.session.useParallel(parallel);
        }
      }
    }
    const split = run.split as { train: unknown[]; test: unknown[] };
    return {
      kind: run.card.kind, config: run.config, card: run.card, options: run.options,
      sizes: { ...run.session.sizes, test: Array.isArray(split.test) ? split.test.length : 0 },
      weights: run.model.parameters().reduce((n, p) => n + p.size, 0), threads, ...(note ? { threadsNote: note } : {}),
      backend: c.engine.backend, variant: c.engine.variant, status: run.session.info(),
    };
  }

  private async engine(seed: number): Promise<Engine> {
    return createEngine({ ...(this.o.backend ? { backend: this.o.backend } : {}), seed, maxMemoryMB: this.o.maxMemoryMB ?? 2048 });
  }

  /** Gives up the current run, model and engine (the data-parallel workers first: they use the engine's memory). */
  private async release(): Promise<void> {
    const c = this.current;
    this.current = null;
    if (!c) return;
    c.run?.session.stop();
    await c.parallel?.dispose();
    c.engine.dispose();
  }
}

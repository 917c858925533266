// One page's training, as the page sees it: it drives the training service
// in a worker (start, pause, resume, stop, continue), gathers the progress
// it streams into plain arrays that the charts draw once per animation frame
// (never through deep reactive proxies), checkpoints to the device every few
// seconds, and keeps every finished or stopped model with its metrics and
// curves. Its state is a few small runes a page renders.

import * as Comlink from "comlink";
import type { Evaluation, Inspection } from "../../lib/pipelines/pipeline.ts";
import type { PipelineKind, PredictRequest, PredictResult } from "../../lib/pipelines/specs.ts";
import type { TrainingClient } from "../../lib/worker/client.ts";
import type { EpochReport, ModelInfo, Progress, RunInfo, SessionStatus, TrainingEvent, TrainingJob } from "../../lib/worker/service.ts";
import type { Curves, StoredCheckpoint, StoredModel } from "./db.ts";

export type Service = TrainingClient;

/** Where models and checkpoints are kept (IndexedDB in the app). */
export interface Store {
  putModel(model: StoredModel): Promise<void>;
  /** This tab's checkpoint of the page; the job's file text only with `withData` (once per run). */
  putCheckpoint(checkpoint: Omit<StoredCheckpoint, "slot">, withData: boolean): Promise<void>;
  deleteCheckpoint(page: string): Promise<void>;
}

export type Phase = "idle" | "preparing" | "running" | "paused" | "stopped" | "finished" | "failed";

export interface ControllerOptions {
  page: string;
  /** What saved models are called ("Sentiment", …). */
  title: string;
  service: () => Service;
  store: Store;
  /** Milliseconds between checkpoints while training (default 5000; 0: none, for runs that are not resumed). */
  checkpointEvery?: number;
  /** Runs a function before the next paint (requestAnimationFrame in pages). */
  frame?: (fn: () => void) => void;
}

const emptyCurves = (): Curves => ({ steps: [], loss: [], accuracy: [], gradNorm: [], epochs: [] });

export class TrainingController {
  phase = $state<Phase>("idle");
  info = $state.raw<RunInfo | null>(null);
  /** The latest progress report (at most once a frame). */
  progress = $state.raw<Progress | null>(null);
  epochs = $state.raw<EpochReport[]>([]);
  evaluation = $state.raw<Evaluation | null>(null);
  error = $state<string | null>(null);
  /** Where the last model was kept. */
  savedId = $state<string | null>(null);
  /** A finished model the device could not keep (its storage full): offered as a download instead. */
  unsaved = $state.raw<{ name: string; bytes: Uint8Array } | null>(null);
  /** A model loaded from the device for use (not trained here). */
  loaded = $state.raw<ModelInfo | null>(null);
  /** The epoch whose weights the shown model holds: its best (lowest validation loss), whether the run finished or was stopped. */
  kept = $state<number | null>(null);
  /** The settings of the model the page shows (trained, resumed or loaded here), for its form. */
  options = $state.raw<Record<string, unknown> | null>(null);
  /** Bumped whenever `curves` changed, so charts redraw. */
  version = $state(0);
  /** Progress history for the charts: plain arrays, appended in place. */
  readonly curves: Curves = emptyCurves();
  private job: TrainingJob | null = null;
  /** Whether this run's uploaded data is stored with its checkpoints already. */
  private dataKept = false;
  private pending: TrainingEvent[] = [];
  private scheduled = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly listener = Comlink.proxy((event: TrainingEvent) => this.receive(event));

  constructor(private readonly o: ControllerOptions) {}

  get busy(): boolean {
    return this.phase === "preparing" || this.phase === "running" || this.phase === "paused";
  }

  /** Whether there is a model to ask: trained or training here (it answers between two batches), or loaded. */
  get canPredict(): boolean {
    return (!!this.info && this.phase !== "preparing") || (!!this.loaded && !this.busy);
  }

  /** The model's answer to a request of its pipeline's kind (naming the kind types the answer). */
  async predict<K extends PipelineKind = PipelineKind>(request: PredictRequest<K>, seed?: number): Promise<PredictResult<K>> {
    return this.o.service().predict(request, seed);
  }

  /** What the model's cells did over one input (between batches, if it trains). */
  async inspect(input: string): Promise<Inspection> {
    return this.o.service().inspect(input);
  }

  /** Makes a kept model the page's model, for use. */
  async load(model: StoredModel): Promise<void> {
    if (this.busy) return;
    this.reset();
    this.phase = "idle";
    try {
      this.loaded = await this.o.service().load(model.bytes, model.name);
      this.options = model.options ?? null;
      this.evaluation = model.evaluation ?? null;
      if (model.curves) {
        Object.assign(this.curves, structuredClone(model.curves));
        this.epochs = [...this.curves.epochs];
        this.version++;
      }
      this.savedId = model.id;
    } catch (e) {
      this.fail(e);
    }
  }

  /** Starts a new training run from a plain-data job (options, data) and runs it to its end. */
  async start(job: TrainingJob): Promise<void> {
    this.reset();
    this.job = job;
    this.options = job.options ?? {};
    await this.begin(() => this.o.service().start(job, this.listener));
  }

  /** Goes on from a checkpoint kept on the device (after a reload or a closed tab). */
  async resumeFrom(checkpoint: StoredCheckpoint): Promise<void> {
    this.reset();
    this.job = checkpoint.job;
    this.options = checkpoint.job.options ?? {};
    await this.begin(() => {
      Object.assign(this.curves, structuredClone(checkpoint.curves));
      this.epochs = [...this.curves.epochs];
      this.version++;
      return this.o.service().restore(checkpoint.bytes, { ...checkpoint.job }, this.listener);
    });
  }

  async pause(): Promise<void> {
    if (this.phase !== "running") return;
    await this.o.service().pause();
    this.phase = "paused";
  }

  async resume(): Promise<void> {
    if (this.phase !== "paused") return;
    this.phase = "running";
    await this.o.service().resume();
  }

  async stop(): Promise<void> {
    if (!this.busy) return;
    await this.o.service().stop();
  }

  /** Trains a finished or stopped model for more epochs, on the same curves. */
  async continue(epochs: number): Promise<void> {
    if (this.busy || !this.info) return;
    this.error = null;
    this.phase = "running";
    this.watch();
    try {
      await this.finish(await this.o.service().continue(epochs));
    } catch (e) {
      this.fail(e);
    }
  }

  private async begin(prepare: () => Promise<RunInfo>): Promise<void> {
    this.phase = "preparing";
    try {
      this.info = await prepare();
      this.error = null;
    } catch (e) {
      this.fail(e);
      return;
    }
    this.phase = "running";
    this.watch();
    try {
      await this.finish(await this.o.service().run());
    } catch (e) {
      this.fail(e);
    }
  }

  /** After run() returns: the best epoch's weights kept, scored, the model stored, the checkpoint dropped. */
  private async finish(status: SessionStatus): Promise<void> {
    this.unwatch();
    this.flush();
    this.phase = status.state === "finished" ? "finished" : "stopped";
    const service = this.o.service();
    // A stopped run keeps its best epoch's weights, as a finished one does (early stopping restores them), and says which.
    this.kept = (this.phase === "stopped" ? await service.keepBest() : status.bestEpoch) || status.epoch;
    try {
      this.evaluation = await service.evaluate();
    } catch (e) {
      // The model is kept whatever its scoring does.
      this.evaluation = null;
      this.error = `the held-out evaluation failed (${(e as Error).message}); the model is kept all the same`;
    }
    const bytes = await service.modelFile(this.evaluation ?? undefined);
    const id = this.savedId ?? crypto.randomUUID();
    const name = `${this.o.title} — ${new Date().toLocaleString()}`;
    try {
      await this.o.store.putModel({
        id, name, kind: this.info!.kind, page: this.o.page, createdAt: Date.now(),
        data: this.info!.card.data.name, ...(this.evaluation ? { evaluation: this.evaluation } : {}), curves: structuredClone(this.curves), options: { ...this.info!.options }, bytes,
      });
    } catch (e) {
      // The work is not lost: the page offers the file for download.
      this.unsaved = { name, bytes };
      this.error = `${(e as Error).message}. Download the model below to keep it.`;
      return;
    }
    this.savedId = id;
    // The model is kept: nothing is left to resume (Continue trains it further while the page holds it).
    await this.o.store.deleteCheckpoint(this.o.page);
    // Its data went with it: a continued run stores it again.
    this.dataKept = false;
  }

  private fail(e: unknown): void {
    this.unwatch();
    this.flush();
    this.error = (e as Error).message ?? String(e);
    this.phase = this.info ? "stopped" : "failed";
  }

  private reset(): void {
    this.unwatch();
    Object.assign(this.curves, emptyCurves());
    this.pending = [];
    this.progress = null;
    this.epochs = [];
    this.evaluation = null;
    this.error = null;
    this.savedId = null;
    this.unsaved = null;
    this.dataKept = false;
    this.info = null;
    this.loaded = null;
    this.kept = null;
    this.options = null;
    this.version++;
  }

  private receive(event: TrainingEvent): void {
    this.pending.push(event);
    if (this.scheduled) return;
    this.scheduled = true;
    (this.o.frame ?? ((fn) => requestAnimationFrame(() => fn())))(() => this.flush());
  }

  /** Moves the events that came since the last frame into the curves and the state. */
  private flush(): void {
    this.scheduled = false;
    if (!this.pending.length) return;
    const c = this.curves;
    let latest: Progress | null = null;
    let epochs: EpochReport[] | null = null;
    for (const e of this.pending) {
      if (e.type === "progress") {
        const p = e.progress;
        c.steps.push(p.steps);
        c.loss.push(p.loss);
        c.accuracy.push(p.accuracy ?? NaN);
        c.gradNorm.push(p.gradNorm);
        latest = p;
      } else {
        c.epochs.push(e.epoch);
        epochs = c.epochs;
      }
    }
    this.pending = [];
    if (latest) this.progress = latest;
    if (epochs) this.epochs = [...epochs];
    this.version++;
  }

  /** Checkpoints every few seconds while the run goes on. */
  private watch(): void {
    this.unwatch();
    const every = this.o.checkpointEvery ?? 5000;
    if (every > 0) this.timer = setInterval(() => void this.checkpoint(), every);
  }

  private unwatch(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async checkpoint(): Promise<void> {
    if (!this.job || !this.info) return;
    try {
      const bytes = await this.o.service().checkpoint();
      const status = await this.o.service().status();
      await this.o.store.putCheckpoint({
        page: this.o.page, job: this.job, bytes, savedAt: Date.now(), epoch: status.epoch, batch: status.batch, epochs: status.epochs,
        curves: structuredClone(this.curves),
      }, !this.dataKept);
      this.dataKept = true;
    } catch (e) {
      // The run goes on; the page says why nothing could be kept.
      this.error = `checkpoint not saved: ${(e as Error).message}`;
    }
  }
}

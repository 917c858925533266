// A pipeline's training run, whole: the data split into training and
// held-out parts, the model designed and built, a training session over its
// examples, then held-out evaluation, predictions, checkpoints and the model
// file. It starts fresh, resumes from a checkpoint, or continues a saved
// model. The CLI and the worker service both drive training through it.

import { GatedError } from "../errors.ts";
import type { PresetName, PresetSettings } from "../data/presets.ts";
import type { EngineContext } from "../layers/context.ts";
import { createModel, type Model, type ModelConfig } from "../models/create.ts";
import { recurrentPartOf } from "../persist/architecture.ts";
import type { DataSource, ModelCard } from "../persist/card.ts";
import type { PipelineKind } from "./kind.ts";
import { decodeCheckpoint, encodeCheckpoint } from "../persist/checkpoint.ts";
import { loadModel, saveModel } from "../persist/model-file.ts";
import { TrainingSession } from "../training/session.ts";
import type { SessionOptions, TrainSettings } from "../training/settings.ts";
import { Random } from "../util/random.ts";
import { fingerprint } from "../util/fingerprint.ts";
import { isPlainObject, kindOf, onlyKeys } from "../util/check.ts";
import { resolveRunOptions, type RunValues } from "./options.ts";
import { type AnyPipeline, type Evaluation, trainSettings } from "./pipeline.ts";
import { pipelineFor, predictWith } from "./registry.ts";
import type { PredictRequest, PredictResult } from "./specs.ts";

// What a run reports, so that its drivers (the CLI, the service) need no import from training/.
export type { EpochReport, Progress } from "../training/reports.ts";

/** Where data came from, as a model card records it. */
export interface DataOrigin {
  name: string;
  preset?: PresetName;
  settings?: PresetSettings;
  column?: string;
}

/** Callbacks and workers for the session; the settings come from the pipeline's options. */
export type RunHooks = Omit<SessionOptions, keyof TrainSettings | "validation">;

export interface StartOptions<K extends PipelineKind = PipelineKind> {
  kind: K;
  /** The pipeline's data (a parsed file or a preset's items). */
  items: unknown;
  origin: DataOrigin;
  /** The pipeline's options (see its `options`); missing ones take their defaults. */
  options?: Record<string, unknown>;
  /** Share of the data held out for testing (default: the pipeline's testFraction). */
  testFraction?: number;
  hooks?: RunHooks;
}

/** A run of a pipeline of kind K (any kind where it was read from a file). */
export class PipelineRun<K extends PipelineKind = PipelineKind> {
  private heldOutPrint?: string;

  private constructor(
    readonly pipeline: AnyPipeline,
    readonly model: Model,
    readonly config: ModelConfig,
    readonly card: ModelCard,
    readonly session: TrainingSession<unknown>,
    /** The data's training and held-out parts. */
    readonly split: { train: unknown; test: unknown },
    /** The resolved options the run was made with. */
    readonly options: RunValues,
  ) {}

  /** Designs a model for the data and options and makes a session ready to train it. */
  static start<K extends PipelineKind>(engine: EngineContext, o: StartOptions<K>): PipelineRun<K> {
    onlyKeys(o, ["kind", "items", "origin", "options", "testFraction", "hooks"], "PipelineRun.start's options");
    const pipeline = pipelineFor(o.kind);
    checkOrigin(o.origin);
    const options = resolveRunOptions(pipeline.options, o.options ?? {});
    const { split, data } = splitData(pipeline, o, options);
    const { config, card } = pipeline.design(split.train, options, data);
    return PipelineRun.build<K>(engine, pipeline, createModel(engine, config), config, card, split, options, o.hooks);
  }

  /**
   * Goes on from a checkpoint, given the same data it was trained on (the
   * held-out split is made again from the seed the card records).
   */
  static resume(engine: EngineContext, bytes: Uint8Array | ArrayBuffer, items: unknown, hooks: RunHooks = {}, source = "checkpoint"): PipelineRun {
    const { config, card, snapshot, options: saved, heldOut } = decodeCheckpoint(bytes, source);
    if (!card) throw new GatedError(`${source} holds no model card, so it is not a pipeline's checkpoint`);
    const pipeline = pipelineFor(card.kind);
    checkItems(pipeline, items);
    const options = resolveRunOptions(pipeline.options, saved ?? {});
    checkAgrees(options, config, source);
    if (pipeline.size(items) !== card.data.items) throw new GatedError(`${source} was trained on ${card.data.items} items of ${card.data.name}; this data has ${pipeline.size(items)}`);
    const split = pipeline.holdOut(items, card.data.testFraction, card.data.seed);
    if (heldOut !== undefined && fingerprint(split.test) !== heldOut) throw new GatedError(`${source}: the held-out part of this data differs from the one the run was scored on; resume with the same data`);
    const model = createModel(engine, config);
    try {
      const examples = pipeline.examples(card, split.train, options);
      const session = TrainingSession.restore(engine, pipeline.task(model, card, options), examples.train, snapshot, { ...hooks, ...(examples.validation ? { validation: examples.validation } : {}) });
      return new PipelineRun(pipeline, model, config, card, session, split, options);
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  /**
   * Trains a saved model further on data (its vocabularies and labels stay
   * as they are). Only training options apply; the model's own are fixed.
   */
  static continue(engine: EngineContext, bytes: Uint8Array | ArrayBuffer, o: Omit<StartOptions, "kind">, source = "model file"): PipelineRun {
    onlyKeys(o, ["items", "origin", "options", "testFraction", "hooks"], "PipelineRun.continue's options");
    checkOrigin(o.origin);
    const loaded = loadModel(engine, bytes, source);
    try {
      if (!loaded.card) throw new GatedError(`${source} holds a bare layer, not a pipeline's model`);
      const pipeline = pipelineFor(loaded.card.kind);
      const fixed = pipeline.options.filter((s) => s.group === "model").map((s) => s.key);
      const refused = Object.keys(o.options ?? {}).filter((k) => fixed.includes(k) && o.options![k] !== undefined);
      if (refused.length) throw new GatedError(`${refused.join(", ")} cannot change when a model is trained further: they are part of the model`);
      // The model's own settings are the config's, so that a checkpoint of this run agrees with its model.
      const options = resolveRunOptions(pipeline.options, { ...o.options, ...modelOptionsOf(loaded.config, pipeline) });
      // The held-out part is split as the card says (its seed and share), so no item the model was scored on is trained on now.
      const held = loaded.card.data;
      if (o.testFraction !== undefined && o.testFraction !== held.testFraction) {
        throw new GatedError(`the model held out ${held.testFraction} of its data (seed ${held.seed}); a model trained further keeps that split, so testFraction cannot change`);
      }
      const { split, data } = splitData(pipeline, { ...o, testFraction: held.testFraction }, { ...options, seed: held.seed });
      const card = { ...loaded.card, data } as ModelCard;
      return PipelineRun.build(engine, pipeline, loaded.model, loaded.config, card, split, options, o.hooks);
    } catch (e) {
      loaded.model.dispose();
      throw e;
    }
  }

  private static build<K extends PipelineKind = PipelineKind>(
    engine: EngineContext, pipeline: AnyPipeline, model: Model, config: ModelConfig, card: ModelCard, split: { train: unknown; test: unknown },
    options: RunValues, hooks: RunHooks = {},
  ): PipelineRun<K> {
    try {
      const examples = pipeline.examples(card, split.train, options);
      const session = TrainingSession.create(engine, pipeline.task(model, card, options), examples.train, {
        ...trainSettings(options, !!examples.validation), ...hooks, ...(examples.validation ? { validation: examples.validation } : {}),
      });
      return new PipelineRun<K>(pipeline, model, config, card, session, split, options);
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  /** Scores the model on the held-out part (in evaluation mode). */
  evaluate(seed = this.options.seed): Evaluation {
    return this.pipeline.evaluate(this.model, this.card, this.split, seed);
  }

  /** The model's answers to a request of the pipeline's kind (one naming another kind is refused). */
  predict(request: PredictRequest<K>, rng = new Random(this.options.seed)): PredictResult<K> {
    return predictWith(this.model, this.card, request, rng, this.split);
  }

  /** The run as it stands, to resume later (between batches: pause first, or call from a callback). */
  checkpoint(): Uint8Array {
    // The held-out part never changes during a run: its fingerprint is taken once (a checkpoint may come every few seconds).
    this.heldOutPrint ??= fingerprint(this.split.test);
    return encodeCheckpoint({ config: this.config, card: this.card, snapshot: this.session.snapshot(), options: this.options, heldOut: this.heldOutPrint });
  }

  /** The model file of the weights as they are now, its card dated, with their held-out scores when the caller has scored these weights. */
  modelFile(evaluation?: Evaluation): Uint8Array {
    const scores = evaluation && evaluation.count > 0 ? { scores: { count: evaluation.count, unit: evaluation.unit, metrics: evaluation.metrics } } : {};
    return saveModel(this.model, { ...this.card, trained: new Date().toISOString(), ...scores });
  }

  /** Frees the session's and the model's memory. */
  dispose(): void {
    this.session.dispose();
    this.model.dispose();
  }
}

/** Refuses a data origin a card could not record (a run without one would train, then fail to save). */
function checkOrigin(origin: unknown): void {
  if (!isPlainObject(origin) || typeof origin.name !== "string" || origin.name === "") {
    throw new GatedError(`a run needs origin: { name } naming its data for the model card, got ${kindOf(origin)}`);
  }
}

/** Settings of the encoder that options and a config both state. */
const ENCODER_KEYS = ["cell", "hiddenSize", "numLayers", "bidirectional", "dropout", "recurrentDropout"] as const;

type EncoderKey = (typeof ENCODER_KEYS)[number];

/** Where a config states those settings: its encoder's (a generator's decoder's); a bare layer states none of them. */
const encoderOf = (config: ModelConfig): Partial<Record<EncoderKey, unknown>> => recurrentPartOf(config)?.encoder ?? {};

/** The pipeline's model options that the config fixes. */
function modelOptionsOf(config: ModelConfig, pipeline: AnyPipeline): Record<string, unknown> {
  const enc = encoderOf(config);
  const keys = new Set(pipeline.options.map((s) => s.key));
  return Object.fromEntries(ENCODER_KEYS.filter((k) => keys.has(k) && enc[k] !== undefined).map((k) => [k, enc[k]]));
}

/** Refuses a checkpoint whose options say another model than its config (an edited file). */
function checkAgrees(options: RunValues, config: ModelConfig, source: string): void {
  const enc = encoderOf(config);
  const wrong = ENCODER_KEYS.filter((k) => k in options && enc[k] !== undefined && options[k] !== enc[k] && !(k === "bidirectional" && enc[k] === false));
  if (wrong.length) throw new GatedError(`${source}: its options contradict its model (${wrong.map((k) => `${k} ${String(options[k])} against ${String(enc[k])}`).join(", ")})`);
}

/** A file's items and what a card records of it: its name and, for one-column data, the column read (the default one named too). */
export function fileData(pipeline: AnyPipeline, text: string, file: { name: string; column?: string }): { items: unknown; origin: DataOrigin } {
  const items = pipeline.parse(text, file);
  const column = file.column ?? pipeline.columns?.(text, file).at(-1);
  return { items, origin: { name: file.name, ...(column !== undefined ? { column } : {}) } };
}

/** Refuses data that is not a list of the pipeline's items (a checkpoint of one task resumed with another's data, say). */
function checkItems(pipeline: AnyPipeline, items: unknown): void {
  if (!Array.isArray(items)) throw new GatedError(`${pipeline.title.toLowerCase()} data must be an array of items (${pipeline.itemFormat}), got ${kindOf(items)}`);
  const bad = items.findIndex((x) => !pipeline.isItem(x));
  if (bad >= 0) throw new GatedError(`${pipeline.title.toLowerCase()} data: item ${bad} is not ${pipeline.itemFormat} (got ${kindOf(items[bad])})`);
}

function splitData(pipeline: AnyPipeline, o: Omit<StartOptions, "kind">, options: RunValues) {
  checkItems(pipeline, o.items);
  const testFraction = o.testFraction ?? pipeline.testFraction;
  if (!(typeof testFraction === "number" && testFraction >= 0 && testFraction <= 0.5)) throw new GatedError(`testFraction must be from 0 to 0.5, got ${testFraction}`);
  const seed = options.seed;
  const split = pipeline.holdOut(o.items, testFraction, seed);
  const data: DataSource = { ...o.origin, items: pipeline.size(o.items), testFraction, seed };
  return { split, data };
}


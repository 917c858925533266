// A pipeline's training run, whole: the data split into training and
// held-out parts, the model designed and built, a training session over its
// examples, then held-out evaluation, predictions, checkpoints and the model
// file. It starts fresh, resumes from a checkpoint, or continues a saved
// model. The CLI and the worker service both drive training through it.

import { GatedError } from "../errors.ts";
import type { PresetName, PresetSettings } from "../data/presets.ts";
import type { EngineContext } from "../layers/context.ts";
import { createModel, type Model, type ModelConfig } from "../models/create.ts";
import { type DataSource, type ModelCard, type PipelineKind } from "../persist/card.ts";
import { decodeCheckpoint, encodeCheckpoint } from "../persist/checkpoint.ts";
import { loadModel, saveModel } from "../persist/model-file.ts";
import { type SessionOptions, type TrainSettings, TrainingSession } from "../training/session.ts";
import { Random } from "../util/random.ts";
import { type OptionValues, resolveOptions } from "./options.ts";
import { type AnyPipeline, type Evaluation, trainSettings } from "./pipeline.ts";
import { pipelineFor } from "./registry.ts";

/** Where data came from, as a model card records it. */
export interface DataOrigin {
  name: string;
  preset?: PresetName;
  settings?: PresetSettings;
  column?: string;
}

/** Callbacks and workers for the session; the settings come from the pipeline's options. */
export type RunHooks = Omit<SessionOptions, keyof TrainSettings | "validation">;

export interface StartOptions {
  kind: PipelineKind;
  /** The pipeline's data (a parsed file or a preset's items). */
  items: unknown;
  origin: DataOrigin;
  /** The pipeline's options (see its `options`); missing ones take their defaults. */
  options?: Record<string, unknown>;
  /** Share of the data held out for testing (default: the pipeline's testFraction). */
  testFraction?: number;
  hooks?: RunHooks;
}

export class PipelineRun {
  private constructor(
    readonly pipeline: AnyPipeline,
    readonly model: Model,
    readonly config: ModelConfig,
    readonly card: ModelCard,
    readonly session: TrainingSession<unknown>,
    /** The data's training and held-out parts. */
    readonly split: { train: unknown; test: unknown },
    /** The resolved options the run was made with. */
    readonly options: OptionValues,
  ) {}

  /** Designs a model for the data and options and makes a session ready to train it. */
  static start(engine: EngineContext, o: StartOptions): PipelineRun {
    const pipeline = pipelineFor(o.kind);
    const options = resolveOptions(pipeline.options, o.options ?? {});
    const { split, data } = splitData(pipeline, o, options);
    const { config, card } = pipeline.design(split.train, options, data);
    return PipelineRun.build(engine, pipeline, createModel(engine, config), config, card, split, options, o.hooks);
  }

  /**
   * Goes on from a checkpoint, given the same data it was trained on (the
   * held-out split is made again from the seed the card records).
   */
  static resume(engine: EngineContext, bytes: Uint8Array | ArrayBuffer, items: unknown, hooks: RunHooks = {}, source = "checkpoint"): PipelineRun {
    const { config, card, snapshot, options: saved } = decodeCheckpoint(bytes, source);
    if (!card) throw new GatedError(`${source} holds no model card, so it is not a pipeline's checkpoint`);
    const pipeline = pipelineFor(card.kind);
    const options = resolveOptions(pipeline.options, saved ?? {});
    if (pipeline.size(items) !== card.data.items) throw new GatedError(`${source} was trained on ${card.data.items} items of ${card.data.name}; this data has ${pipeline.size(items)}`);
    const split = pipeline.holdOut(items, card.data.testFraction, card.data.seed);
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
    const loaded = loadModel(engine, bytes, source);
    try {
      if (!loaded.card) throw new GatedError(`${source} holds a bare layer, not a pipeline's model`);
      const pipeline = pipelineFor(loaded.card.kind);
      const fixed = pipeline.options.filter((s) => s.group === "model").map((s) => s.key);
      const refused = Object.keys(o.options ?? {}).filter((k) => fixed.includes(k) && o.options![k] !== undefined);
      if (refused.length) throw new GatedError(`${refused.join(", ")} cannot change when a model is trained further: they are part of the model`);
      const options = resolveOptions(pipeline.options, o.options ?? {});
      const { split, data } = splitData(pipeline, o, options);
      const card = { ...loaded.card, data } as ModelCard;
      return PipelineRun.build(engine, pipeline, loaded.model, loaded.config, card, split, options, o.hooks);
    } catch (e) {
      loaded.model.dispose();
      throw e;
    }
  }

  private static build(
    engine: EngineContext, pipeline: AnyPipeline, model: Model, config: ModelConfig, card: ModelCard, split: { train: unknown; test: unknown },
    options: OptionValues, hooks: RunHooks = {},
  ): PipelineRun {
    try {
      const examples = pipeline.examples(card, split.train, options);
      const session = TrainingSession.create(engine, pipeline.task(model, card, options), examples.train, {
        ...trainSettings(options, !!examples.validation), ...hooks, ...(examples.validation ? { validation: examples.validation } : {}),
      });
      return new PipelineRun(pipeline, model, config, card, session, split, options);
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  /** Scores the model on the held-out part (in evaluation mode). */
  evaluate(seed = this.options.seed as number): Evaluation {
    return this.pipeline.evaluate(this.model, this.card, this.split, seed);
  }

  /** The model's answers to a request of the pipeline's kind. */
  predict(request: unknown, rng = new Random(this.options.seed as number)): unknown {
    return this.pipeline.predict(this.model, this.card, request, rng, this.split);
  }

  /** The run as it stands, to resume later (between batches: pause first, or call from a callback). */
  checkpoint(): Uint8Array {
    return encodeCheckpoint({ config: this.config, card: this.card, snapshot: this.session.snapshot(), options: this.options });
  }

  /** The model file of the weights as they are now, its card dated. */
  modelFile(): Uint8Array {
    return saveModel(this.model, { ...this.card, trained: new Date().toISOString() });
  }

  /** Frees the session's and the model's memory. */
  dispose(): void {
    this.session.dispose();
    this.model.dispose();
  }
}

function splitData(pipeline: AnyPipeline, o: Omit<StartOptions, "kind">, options: OptionValues) {
  const testFraction = o.testFraction ?? pipeline.testFraction;
  if (!(typeof testFraction === "number" && testFraction >= 0 && testFraction <= 0.5)) throw new GatedError(`testFraction must be from 0 to 0.5, got ${testFraction}`);
  const seed = options.seed as number;
  const split = pipeline.holdOut(o.items, testFraction, seed);
  const data: DataSource = { ...o.origin, items: pipeline.size(o.items), testFraction, seed };
  return { split, data };
}


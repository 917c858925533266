// Every pipeline by the kind its model cards name, and by task name; and
// asking a model of any kind.

import { GatedError } from "../errors.ts";
import { isPipelineKind, type PipelineKind } from "./kind.ts";
import { kindOf } from "../util/check.ts";
import { generatorPipeline } from "./generator/pipeline.ts";
import { forecasterPipeline } from "./forecaster/pipeline.ts";
import { languageModelPipeline } from "./language-model/pipeline.ts";
import type { AnyPipeline } from "./pipeline.ts";
import { classifierPipeline } from "./classifier/pipeline.ts";
import { translatorPipeline } from "./translator/pipeline.ts";
import { ownRequest, type PredictRequest, type PredictResult } from "./specs.ts";
import type { Model } from "../models/create.ts";
import type { ModelCard } from "../persist/card.ts";
import type { Random } from "../util/random.ts";

export const PIPELINES: Record<PipelineKind, AnyPipeline> = {
  classifier: classifierPipeline,
  "language-model": languageModelPipeline,
  translator: translatorPipeline,
  forecaster: forecasterPipeline,
  generator: generatorPipeline,
};

export const TASKS: readonly string[] = Object.values(PIPELINES).map((p) => p.name);

/** A name as given, quoted; any other value by its kind (an object may not even convert to a string). */
const named = (v: unknown) => (typeof v === "string" ? JSON.stringify(v.slice(0, 40)) : kindOf(v));

/** The pipeline of a kind; anything else (from a message or a file: any value) is refused, named without being converted. */
export function pipelineFor(kind: PipelineKind): AnyPipeline {
  const p = isPipelineKind(kind) ? PIPELINES[kind] : undefined;
  if (!p) throw new GatedError(`unknown pipeline ${named(kind)}; the pipelines are ${Object.keys(PIPELINES).join(", ")}`);
  return p;
}

export function pipelineForTask(task: string): AnyPipeline {
  const p = Object.values(PIPELINES).find((x) => x.name === task);
  if (!p) throw new GatedError(`unknown task ${named(task)}; use one of ${TASKS.join(", ")}`);
  return p;
}

/**
 * A model's answer to a request of its kind, in evaluation mode: the one way
 * every caller (a run, the service, gated/infer, the CLI) asks a model. A
 * request naming another kind is refused; with the data the model was
 * trained on, samples say whether they are new.
 */
export function predictWith<K extends PipelineKind = PipelineKind>(
  model: Model, card: ModelCard, request: PredictRequest<K>, rng: Random, data?: { train: unknown; test: unknown },
): PredictResult<K> {
  return pipelineFor(card.kind).predict(model, card, ownRequest(card.kind, request), rng, data);
}

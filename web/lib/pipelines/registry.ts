// Every pipeline by the kind its model cards name, and by task name.

import { GatedError } from "../errors.ts";
import type { PipelineKind } from "../persist/card.ts";
import { generatorPipeline } from "./conditional-generator.ts";
import { forecasterPipeline } from "./forecaster.ts";
import { languageModelPipeline } from "./language-model.ts";
import type { AnyPipeline } from "./pipeline.ts";
import { classifierPipeline } from "./text-classifier.ts";
import { translatorPipeline } from "./translator.ts";

export const PIPELINES: Record<PipelineKind, AnyPipeline> = {
  classifier: classifierPipeline,
  "language-model": languageModelPipeline,
  translator: translatorPipeline,
  forecaster: forecasterPipeline,
  generator: generatorPipeline,
};

export const TASKS: readonly string[] = Object.values(PIPELINES).map((p) => p.name);

export function pipelineFor(kind: PipelineKind): AnyPipeline {
  const p = Object.hasOwn(PIPELINES, kind) ? PIPELINES[kind] : undefined;
  if (!p) throw new GatedError(`unknown pipeline "${kind}"; the pipelines are ${Object.keys(PIPELINES).join(", ")}`);
  return p;
}

export function pipelineForTask(task: string): AnyPipeline {
  const p = Object.values(PIPELINES).find((x) => x.name === task);
  if (!p) throw new GatedError(`unknown task "${task}"; use one of ${TASKS.join(", ")}`);
  return p;
}

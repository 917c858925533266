// Every pipeline's spec by kind, and the one map from a kind to what its
// predictions ask and answer: the types a page, an app or the CLI needs to
// talk to a model of any task, typed end to end, without loading a pipeline.

import { GatedError } from "../errors.ts";
import type { PipelineKind } from "./kind.ts";
import { isPlainObject } from "../util/check.ts";
import { type Classification, type ClassifyRequest, classifierSpec } from "./classifier/spec.ts";
import { type Forecast, type ForecastRequest, forecasterSpec } from "./forecaster/spec.ts";
import { type GenerateForRequest, generatorSpec } from "./generator/spec.ts";
import { type GeneratedText, type GenerateRequest, languageModelSpec } from "./language-model/spec.ts";
import type { PipelineSpec } from "./spec.ts";
import { type TranslatedText, type TranslateRequest, translatorSpec } from "./translator/spec.ts";

export type { PipelineSpec } from "./spec.ts";
export type { Classification, ClassifyRequest } from "./classifier/spec.ts";
export type { Forecast, ForecastRequest } from "./forecaster/spec.ts";
export type { GenerateForRequest } from "./generator/spec.ts";
export type { GeneratedText, GenerateRequest } from "./language-model/spec.ts";
export type { TranslatedText, TranslateRequest } from "./translator/spec.ts";
export type { PipelineKind } from "./kind.ts";

export const SPECS: { readonly [K in PipelineKind]: PipelineSpec<K> } = {
  classifier: classifierSpec,
  "language-model": languageModelSpec,
  translator: translatorSpec,
  forecaster: forecasterSpec,
  generator: generatorSpec,
};

/** What a model of each kind is asked, and what it answers. */
export interface Predictions {
  classifier: { request: ClassifyRequest; result: Classification[] };
  "language-model": { request: GenerateRequest; result: GeneratedText[] };
  translator: { request: TranslateRequest; result: TranslatedText[] };
  forecaster: { request: ForecastRequest; result: Forecast };
  generator: { request: GenerateForRequest; result: GeneratedText[] };
}

/**
 * A request to a model of kind K. It may name the kind it is for: then a
 * model of another kind refuses it, and where the model's kind is not known
 * when the code is written (a service, a loaded file) the kind types the answer.
 */
export type PredictRequest<K extends PipelineKind = PipelineKind> = { [P in K]: Predictions[P]["request"] & { kind?: P } }[K];

/** What a model of kind K answers. */
export type PredictResult<K extends PipelineKind = PipelineKind> = Predictions[K]["result"];

/** A request's own fields for a model of `kind`; a request naming another kind is refused. */
export function ownRequest(kind: PipelineKind, request: unknown): unknown {
  if (!isPlainObject(request) || !Object.hasOwn(request, "kind")) return request;
  const { kind: named, ...own } = request;
  if (named !== kind) throw new GatedError(`the request is for a ${typeof named === "string" ? named : String(named)} model, but this model is a ${kind}`);
  return own;
}

// The inference entry (gated/infer): load a model file and answer requests
// with it, in evaluation mode — no training, data sets or workers. What an
// app that only serves a model needs to bundle (bench/bundle-size.mjs
// measures it against the whole library).

import { type Backend, createEngine } from "./engine.ts";
import { GatedError } from "./errors.ts";
import type { ModelCard } from "./persist/card.ts";
import type { PipelineKind } from "./pipelines/kind.ts";
import { loadModel } from "./persist/model-file.ts";
import { predictWith } from "./pipelines/registry.ts";
import type { PredictRequest, PredictResult } from "./pipelines/specs.ts";
import { Random } from "./util/random.ts";

export { GatedError } from "./errors.ts";
export type { ModelCard } from "./persist/card.ts";
export type { PipelineKind } from "./pipelines/kind.ts";
export type { Predictions, PredictRequest, PredictResult, Classification, ClassifyRequest, GeneratedText, GenerateRequest, TranslatedText, TranslateRequest, Forecast, ForecastRequest, GenerateForRequest } from "./pipelines/specs.ts";

export interface Predictor {
  /** The task the model was trained for (classifier, language-model, translator, forecaster, generator). */
  readonly kind: PipelineKind;
  /** What the model file says of itself: vocabularies, labels, tokenizer, where its data came from. */
  readonly card: ModelCard;
  /**
   * The model's answer to a request of its kind (e.g. { texts } for a classifier); `seed` seeds sampling.
   * A request that names its kind (`{ kind: "classifier", texts }`) gets an answer of that kind's type, and is refused by a model of another kind.
   */
  predict<K extends PipelineKind = PipelineKind>(request: PredictRequest<K>, seed?: number): PredictResult<K>;
  /** Frees the model's engine. */
  dispose(): void;
}

/** A model file (bytes, as `gated train` or the playground saves it) ready to answer; refused with a GatedError if it is not one. */
export async function loadPredictor(bytes: Uint8Array | ArrayBuffer, { backend, source = "model file" }: { backend?: Backend; source?: string } = {}): Promise<Predictor> {
  const engine = await createEngine({ ...(backend ? { backend } : {}), seed: 1 });
  try {
    const { model, card } = loadModel(engine, bytes, source);
    if (!card) throw new GatedError(`${source} holds a bare layer, not a model with a task to answer`);
    return {
      kind: card.kind,
      card,
      predict: (request, seed = 1) => predictWith(model, card, request, new Random(seed)),
      dispose: () => engine.dispose(),
    };
  } catch (e) {
    engine.dispose();
    throw e;
  }
}

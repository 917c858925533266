// A model file: one safetensors file holding the weights under the model's
// state-dict names (PyTorch's for recurrent layers: weight_ih_l0, …) and, in
// its metadata, the model's JSON config and whatever the model needs to read
// and write text (tokenizer, vocabularies, labels, scaling). Saving and
// loading round-trip exactly; anything malformed is refused with a reason.

import { GatedError } from "../errors.ts";
import type { EngineContext } from "../layers/context.ts";
import type { Module } from "../layers/module.ts";
import { configOf, createModel, type Model, type ModelConfig } from "../models/create.ts";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";

const FORMAT = "gated-model";
const VERSION = "1";

export interface LoadedModel<Extras = Record<string, unknown>> {
  model: Model;
  config: ModelConfig;
  extras: Extras;
}

export function saveModel(model: Module, extras: Record<string, unknown> = {}): Uint8Array {
  return encodeSafetensors(model.stateDict(), {
    format: FORMAT,
    version: VERSION,
    config: JSON.stringify(configOf(model)),
    extras: JSON.stringify(extras),
  });
}

export function loadModel<Extras = Record<string, unknown>>(ctx: EngineContext, bytes: Uint8Array, source = "model file"): LoadedModel<Extras> {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  if (metadata.format !== FORMAT) throw new GatedError(`${source} is a safetensors file but not a Gated model (no "format": "${FORMAT}" in its metadata)`);
  if (metadata.version !== VERSION) throw new GatedError(`${source} is a Gated model of format version ${metadata.version}; this version reads ${VERSION}`);
  let config: ModelConfig;
  let extras: Extras;
  try {
    config = JSON.parse(metadata.config);
    extras = JSON.parse(metadata.extras ?? "{}");
  } catch {
    throw new GatedError(`${source}: the model's config in the metadata is not valid JSON`);
  }
  const model = createModel(ctx, config);
  try {
    model.loadStateDict(tensors);
  } catch (e) {
    model.dispose();
    throw new GatedError(`${source}: the weights do not fit the model's config: ${(e as Error).message}`);
  }
  return { model, config, extras };
}

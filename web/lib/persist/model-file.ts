// A model file: one safetensors file holding the weights under the model's
// state-dict names (PyTorch's for recurrent layers: weight_ih_l0, …) and, in
// its metadata, the model's JSON config and its model card (tokenizer,
// vocabularies, labels, scaling, data provenance). Saving and loading
// round-trip exactly. Loading trusts nothing: the header, the config, the
// card and the weights' names and shapes are all checked before a model is
// built or a tensor decoded, so a crafted file costs no more memory than
// its own size and is refused with the reason.

import { GatedError } from "../errors.ts";
import type { EngineContext } from "../layers/context.ts";
import type { Module, Shapes } from "../layers/module.ts";
import type { Tensor } from "../tensor.ts";
import { checkConfig, configOf, createModel, type Model, type ModelConfig, modelShapes } from "../models/create.ts";
import { checkCard, type ModelCard } from "./card.ts";
import { asBytes, encodeSafetensors, readSafetensorsHeader, readTensors, type TensorEntry } from "./safetensors.ts";

const FORMAT = "gated-model";
const VERSION = "2";

export interface LoadedModel<C extends ModelCard | null = ModelCard | null> {
  model: Model;
  config: ModelConfig;
  /** What the model is for and how to read and write its texts; null for a bare layer. */
  card: C;
}

/** A model file's bytes: the model's weights, its config, and its card when it has one. */
export function saveModel(model: Module, card?: ModelCard): Uint8Array {
  return encodeModelFile(configOf(model), model.stateDict(), card);
}

/** A model file from a config and its weights (a checkpoint's, say) without building the model. */
export function encodeModelFile(config: ModelConfig, weights: Record<string, Tensor>, card?: ModelCard): Uint8Array {
  if (card) checkCard(card, config);
  return encodeSafetensors(weights, {
    format: FORMAT,
    version: VERSION,
    config: JSON.stringify(config),
    ...(card ? { card: JSON.stringify(card) } : {}),
  });
}

/** Reads a model file (bytes as a Uint8Array or an ArrayBuffer) into a model in evaluation mode. */
export function loadModel(ctx: EngineContext, input: Uint8Array | ArrayBuffer, source = "model file"): LoadedModel {
  const bytes = asBytes(input, source);
  const header = readSafetensorsHeader(bytes, source);
  const { config, card } = readDescription(header.metadata, FORMAT, VERSION, source);
  checkEntries(header.entries, [...modelShapes(config)], source);
  const tensors = readTensors(bytes, header);
  const model = createModel(ctx, config);
  try {
    model.loadStateDict(tensors);
  } catch (e) {
    model.dispose();
    throw new GatedError(`${source}: the weights do not fit the model's config: ${(e as Error).message}`);
  }
  return { model: model.eval(), config, card };
}

/** The config and card in a Gated file's metadata, checked (shared by model files and checkpoints). */
export function readDescription(metadata: Record<string, string>, format: string, version: string, source: string): { config: ModelConfig; card: ModelCard | null } {
  if (metadata.format !== format) {
    const what = format === FORMAT ? "a Gated model" : "a Gated checkpoint";
    const found = metadata.format === undefined ? "" : ` (it says "${metadata.format.slice(0, 40)}")`;
    throw new GatedError(`${source} is a safetensors file but not ${what}: no "format": "${format}" in its metadata${found}`);
  }
  if (metadata.version !== version) throw new GatedError(`${source} is of format version ${String(metadata.version).slice(0, 20)}; this version of Gated reads ${version}`);
  const parse = (key: string): unknown => {
    try {
      return JSON.parse(metadata[key]);
    } catch {
      throw new GatedError(`${source}: the ${key} in the metadata is not valid JSON`);
    }
  };
  if (metadata.config === undefined) throw new GatedError(`${source}: the metadata has no config`);
  const config = parse("config");
  try {
    checkConfig(config);
  } catch (e) {
    throw new GatedError(`${source}: ${(e as Error).message}`);
  }
  let card: ModelCard | null = null;
  if (metadata.card !== undefined) {
    try {
      const parsed: unknown = parse("card");
      checkCard(parsed, config);
      card = parsed;
    } catch (e) {
      throw new GatedError(`${source}: ${(e as Error).message}`);
    }
  }
  return { config, card };
}

/**
 * Refuses a header whose tensors are not exactly the expected ones (under a
 * prefix): an unknown or missing name, or a shape that differs — before any
 * tensor is decoded.
 */
export function checkEntries(entries: readonly TensorEntry[], expected: Shapes, source: string, prefix = ""): void {
  const want = new Map(expected.map(([name, shape]) => [prefix + name, shape]));
  const seen = new Set<string>();
  for (const e of entries) {
    if (!e.name.startsWith(prefix)) continue;
    const shape = want.get(e.name);
    if (!shape) throw new GatedError(`${source}: the weights do not fit the model's config: unknown tensor ${e.name.slice(0, 200)}`);
    if (shape.join() !== e.shape.join()) {
      throw new GatedError(`${source}: the weights do not fit the model's config: ${e.name} has shape [${e.shape.join(", ")}], expected [${shape.join(", ")}]`);
    }
    seen.add(e.name);
  }
  const missing = [...want.keys()].filter((n) => !seen.has(n));
  if (missing.length) throw new GatedError(`${source}: the weights do not fit the model's config: missing ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}`);
}

// Building any model from its JSON config, as saved in model files; the
// config is checked first, since it may come from a file.

import { GatedError } from "../errors.ts";
import type { EngineContext } from "../layers/context.ts";
import type { Module } from "../layers/module.ts";
import { Recurrent, type RecurrentKind, type RecurrentOptions } from "../layers/recurrent.ts";
import { type ClassifierConfig, SequenceClassifier } from "./classifier.ts";
import type { EncoderConfig } from "./encoder.ts";
import { type GeneratorConfig, SequenceGenerator } from "./generator.ts";
import { Seq2Seq, type Seq2SeqConfig } from "./seq2seq.ts";
import { SequenceTagger, type TaggerConfig } from "./tagger.ts";

/** A bare recurrent layer, saved as such (e.g. to load into torch.nn). */
export interface RecurrentConfig {
  type: "recurrent";
  kind: RecurrentKind;
  options: RecurrentOptions;
}

export type ModelConfig = ClassifierConfig | TaggerConfig | Seq2SeqConfig | GeneratorConfig | RecurrentConfig;
export type Model = SequenceClassifier | SequenceTagger | Seq2Seq | SequenceGenerator | Recurrent;

export function createModel(ctx: EngineContext, config: ModelConfig): Model {
  checkConfig(config);
  switch (config.type) {
    case "classifier":
      return new SequenceClassifier(ctx, config);
    case "tagger":
      return new SequenceTagger(ctx, config);
    case "seq2seq":
      return new Seq2Seq(ctx, config);
    case "generator":
      return new SequenceGenerator(ctx, config);
    case "recurrent":
      return new Recurrent(ctx, config.kind, config.options);
  }
}

/** The config a model was built from. */
export function configOf(model: Module): ModelConfig {
  if (model instanceof Recurrent) return { type: "recurrent", kind: model.kind, options: { ...model.options } };
  return (model as SequenceClassifier).config;
}

function checkConfig(c: ModelConfig): void {
  const fail = (msg: string): never => {
    throw new GatedError(`model config: ${msg}`);
  };
  const isObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === "object" && !Array.isArray(x);
  if (!isObject(c)) fail("not an object");
  const positive = (o: Record<string, unknown>, key: string, where: string) => {
    if (!(Number.isInteger(o[key]) && (o[key] as number) > 0)) fail(`${where}.${key} must be a positive integer, got ${JSON.stringify(o[key])}`);
  };
  const probability = (o: Record<string, unknown>, key: string, where: string) => {
    if (!(typeof o[key] === "number" && (o[key] as number) >= 0 && (o[key] as number) < 1)) fail(`${where}.${key} must be in [0, 1), got ${JSON.stringify(o[key])}`);
  };
  const oneOf = (o: Record<string, unknown>, key: string, values: readonly string[], where: string) => {
    if (!values.includes(o[key] as string)) fail(`${where}.${key} must be one of ${values.join(", ")}, got ${JSON.stringify(o[key])}`);
  };
  const encoder = (e: unknown, where: string) => {
    if (!isObject(e)) return fail(`${where} is missing`);
    if (!isObject(e.input)) fail(`${where}.input is missing`);
    const input = e.input as Record<string, unknown>;
    if ("features" in input) positive(input, "features", `${where}.input`);
    else {
      positive(input, "vocabSize", `${where}.input`);
      positive(input, "embeddingDim", `${where}.input`);
    }
    oneOf(e, "cell", ["rnn", "lstm", "gru"], where);
    positive(e, "hiddenSize", where);
    positive(e, "numLayers", where);
    if (typeof e.bidirectional !== "boolean") fail(`${where}.bidirectional must be true or false`);
    oneOf(e, "merge", ["concat", "sum", "mean", "mul"], where);
    probability(e, "dropout", where);
    probability(e, "recurrentDropout", where);
  };
  switch (c.type) {
    case "classifier":
      encoder(c, "classifier");
      oneOf(c as never, "pooling", ["last", "mean", "max"], "classifier");
      probability(c as never, "headDropout", "classifier");
      positive(c as never, "classes", "classifier");
      return;
    case "tagger":
      encoder(c, "tagger");
      oneOf(c as never, "head", ["softmax", "regression"], "tagger");
      probability(c as never, "headDropout", "tagger");
      positive(c as never, "outputs", "tagger");
      return;
    case "seq2seq":
      encoder(c.encoder, "seq2seq.encoder");
      positive(c as never, "targetVocabSize", "seq2seq");
      positive(c as never, "targetEmbeddingDim", "seq2seq");
      oneOf(c as never, "attention", ["none", "dot", "general", "additive"], "seq2seq");
      probability(c as never, "headDropout", "seq2seq");
      return;
    case "generator":
      encoder(c.decoder, "generator.decoder");
      positive(c as never, "conditionSize", "generator");
      probability(c as never, "headDropout", "generator");
      return;
    case "recurrent":
      oneOf(c as never, "kind", ["rnn", "lstm", "gru"], "recurrent");
      if (!isObject(c.options)) fail("recurrent.options is missing");
      return;
    default:
      fail(`unknown model type ${JSON.stringify((c as { type?: unknown }).type)}`);
  }
}

export type { EncoderConfig };

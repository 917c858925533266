// Building any model from its JSON config, as saved in model files. A config
// may come from a file, so it is checked whole first — every key known, every
// number in range — and its parameters' names and shapes can be listed
// without allocating anything (modelShapes), so a file's weights can be
// checked against its config before a model is built.

import { GatedError } from "../errors.ts";
import type { EngineContext } from "../layers/context.ts";
import { Module, type Shapes } from "../layers/module.ts";
import { Recurrent } from "../layers/recurrent.ts";
import { MAX_LAYERS, MAX_WIDTH, type RecurrentKind, type RecurrentOptions, resolve } from "../layers/recurrent-options.ts";
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

/** Largest vocabulary a config may name. */
export const MAX_VOCABULARY = 1 << 24;

/** Builds the model; if memory runs out part-way, what was taken is given back. */
/** The model class a config builds, so that `createModel(engine, { type: "classifier", … })` is a SequenceClassifier to the type checker. */
export type ModelOf<C extends ModelConfig> = C extends { type: "classifier" } ? SequenceClassifier
  : C extends { type: "tagger" } ? SequenceTagger
  : C extends { type: "seq2seq" } ? Seq2Seq
  : C extends { type: "generator" } ? SequenceGenerator
  : C extends { type: "recurrent" } ? Recurrent
  : Model;

export function createModel<C extends ModelConfig>(ctx: EngineContext, config: C): ModelOf<C> {
  checkConfig(config);
  return ctx.arena.atomically((): Model => {
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
  }) as ModelOf<C>;
}

/** The config a model was built from. */
export function configOf(model: Module): ModelConfig {
  if (!(model instanceof Module)) throw new GatedError(`expected a model or layer of this library, got ${model === null ? "null" : typeof model === "object" ? "another object" : typeof model}`);
  if (model instanceof Recurrent) return { type: "recurrent", kind: model.kind, options: { ...model.options } };
  return (model as SequenceClassifier).config;
}

/** The state dict a model of this config has: names and shapes, in order, with nothing allocated. */
export function modelShapes(config: ModelConfig): Shapes {
  checkConfig(config);
  switch (config.type) {
    case "classifier":
      return SequenceClassifier.shapes(config);
    case "tagger":
      return SequenceTagger.shapes(config);
    case "seq2seq":
      return Seq2Seq.shapes(config);
    case "generator":
      return SequenceGenerator.shapes(config);
    case "recurrent":
      return Recurrent.shapes(config.kind, config.options);
  }
}

const ENCODER_KEYS = ["input", "cell", "hiddenSize", "numLayers", "bidirectional", "merge", "dropout", "recurrentDropout"];
const ENCODER_OPTIONAL = ["nonlinearity", "resetAfter", "init", "wordDropout"];

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => !!x && typeof x === "object" && !Array.isArray(x);

/** Refuses a config with a missing, unknown or out-of-range entry, naming it. */
export function checkConfig(c: unknown): asserts c is ModelConfig {
  const fail = (msg: string): never => {
    throw new GatedError(`model config: ${msg}`);
  };
  const keys = (o: Obj, where: string, required: string[], optional: string[] = []) => {
    const missing = required.filter((k) => o[k] === undefined);
    if (missing.length) fail(`${where} lacks ${missing.join(", ")}`);
    const unknown = Object.keys(o).filter((k) => !required.includes(k) && !optional.includes(k));
    if (unknown.length) fail(`${where} has unknown entries ${unknown.join(", ")}`);
  };
  const int = (o: Obj, key: string, where: string, max = MAX_WIDTH) => {
    const v = o[key];
    if (!(typeof v === "number" && Number.isInteger(v) && v > 0 && v <= max)) fail(`${where}.${key} must be an integer from 1 to ${max}, got ${JSON.stringify(o[key])}`);
  };
  const probability = (o: Obj, key: string, where: string) => {
    const v = o[key];
    if (!(typeof v === "number" && v >= 0 && v < 1)) fail(`${where}.${key} must be in [0, 1), got ${JSON.stringify(o[key])}`);
  };
  const oneOf = (o: Obj, key: string, values: readonly string[], where: string) => {
    const v = o[key];
    if (!(typeof v === "string" && values.includes(v))) fail(`${where}.${key} must be one of ${values.join(", ")}, got ${JSON.stringify(o[key])}`);
  };
  const encoder = (e: unknown, where: string, { tokens = false, forwardOnly = false } = {}) => {
    if (!isObject(e)) return fail(`${where} is missing`);
    keys(e, where, ENCODER_KEYS, ENCODER_OPTIONAL);
    if (!isObject(e.input)) return fail(`${where}.input is missing`);
    const input = e.input;
    if ("features" in input) {
      if (tokens) fail(`${where}.input must be tokens {vocabSize, embeddingDim}`);
      keys(input, `${where}.input`, ["features"]);
      int(input, "features", `${where}.input`);
    } else {
      keys(input, `${where}.input`, ["vocabSize", "embeddingDim"]);
      int(input, "vocabSize", `${where}.input`, MAX_VOCABULARY);
      int(input, "embeddingDim", `${where}.input`);
    }
    oneOf(e, "cell", ["rnn", "lstm", "gru"], where);
    int(e, "hiddenSize", where);
    int(e, "numLayers", where, MAX_LAYERS);
    if (typeof e.bidirectional !== "boolean") fail(`${where}.bidirectional must be true or false`);
    if (forwardOnly && e.bidirectional) fail(`${where} must run forward only (bidirectional: false)`);
    oneOf(e, "merge", ["concat", "sum", "mean", "mul"], where);
    probability(e, "dropout", where);
    probability(e, "recurrentDropout", where);
    if (e.wordDropout !== undefined) {
      if ("features" in input) fail(`${where}.wordDropout is for token inputs`);
      probability(e, "wordDropout", where);
    }
    // The recurrent layer's own rules (nonlinearity only for rnn, init's entries, …).
    const { input: _input, cell, merge: _merge, wordDropout: _words, ...layer } = e;
    try {
      resolve(cell as RecurrentKind, { ...layer, inputSize: 1 });
    } catch (err) {
      fail(`${where}: ${(err as Error).message}`);
    }
  };
  // Classifiers and taggers carry their encoder's entries at the top level, beside their own.
  const flatEncoder = (o: Obj, where: string, own: string[]) => {
    keys(o, where, ["type", ...ENCODER_KEYS, ...own], ENCODER_OPTIONAL);
    encoder(Object.fromEntries(Object.entries(o).filter(([k]) => k !== "type" && !own.includes(k))), where);
  };
  if (!isObject(c)) return fail("not an object");
  switch (c.type) {
    case "classifier":
      flatEncoder(c, "classifier", ["pooling", "headDropout", "classes"]);
      oneOf(c, "pooling", ["last", "mean", "max"], "classifier");
      probability(c, "headDropout", "classifier");
      int(c, "classes", "classifier", MAX_VOCABULARY);
      return;
    case "tagger":
      flatEncoder(c, "tagger", ["head", "headDropout", "outputs"]);
      oneOf(c, "head", ["softmax", "regression"], "tagger");
      probability(c, "headDropout", "tagger");
      int(c, "outputs", "tagger", MAX_VOCABULARY);
      return;
    case "seq2seq":
      keys(c, "seq2seq", ["type", "encoder", "targetVocabSize", "targetEmbeddingDim", "attention", "headDropout"], ["attentionSize"]);
      encoder(c.encoder, "seq2seq.encoder", { tokens: true });
      int(c, "targetVocabSize", "seq2seq", MAX_VOCABULARY);
      int(c, "targetEmbeddingDim", "seq2seq");
      oneOf(c, "attention", ["none", "dot", "general", "additive"], "seq2seq");
      if (c.attentionSize !== undefined) int(c, "attentionSize", "seq2seq");
      probability(c, "headDropout", "seq2seq");
      return;
    case "generator":
      keys(c, "generator", ["type", "conditionSize", "decoder", "headDropout"]);
      int(c, "conditionSize", "generator");
      encoder(c.decoder, "generator.decoder", { tokens: true, forwardOnly: true });
      probability(c, "headDropout", "generator");
      return;
    case "recurrent":
      keys(c, "recurrent", ["type", "kind", "options"]);
      oneOf(c, "kind", ["rnn", "lstm", "gru"], "recurrent");
      if (!isObject(c.options)) return fail("recurrent.options is missing");
      try {
        resolve(c.kind as RecurrentKind, c.options);
      } catch (err) {
        fail(`recurrent: ${(err as Error).message}`);
      }
      return;
    default:
      fail(`unknown model type ${JSON.stringify(c.type)}`);
  }
}

export type { EncoderConfig };

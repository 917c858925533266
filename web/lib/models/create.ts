// Building any model from its JSON config, as saved in model files. A config
// may come from a file, so it is checked whole first — every key known, every
// number in range — and its parameters' names and shapes can be listed
// without allocating anything (modelShapes), so a file's weights can be
// checked against its config before a model is built.

import { GatedError } from "../errors.ts";
import type { EngineContext } from "../layers/context.ts";
import { Module, type Shapes } from "../layers/module.ts";
import { Recurrent } from "../layers/recurrent.ts";
import { MERGES } from "../layers/merge.ts";
import { MAX_LAYERS, MAX_WIDTH, RECURRENT_KINDS, type RecurrentKind, type RecurrentOptions, resolve } from "../layers/recurrent-options.ts";
import { Checker } from "../util/check.ts";
import { type ClassifierConfig, POOLINGS, SequenceClassifier } from "./classifier.ts";
import type { EncoderConfig } from "./encoder.ts";
import { type GeneratorConfig, SequenceGenerator } from "./generator.ts";
import { ATTENTIONS, Seq2Seq, type Seq2SeqConfig } from "./seq2seq.ts";
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

/** Refuses a config with a missing, unknown or out-of-range entry, naming it. */
export function checkConfig(c: unknown): asserts c is ModelConfig {
  const check = new Checker("model config");
  const width = (o: Record<string, unknown>, key: string, where: string, max = MAX_WIDTH) => check.int(o[key], `${where}.${key}`, 1, max);
  const encoder = (e: unknown, where: string, { tokens = false, forwardOnly = false } = {}) => {
    const o = check.object(e, `${where} is missing`);
    check.keys(o, where, ENCODER_KEYS, ENCODER_OPTIONAL);
    const input = check.object(o.input, `${where}.input is missing`);
    if ("features" in input) {
      if (tokens) check.fail(`${where}.input must be tokens {vocabSize, embeddingDim}`);
      check.keys(input, `${where}.input`, ["features"]);
      width(input, "features", `${where}.input`);
    } else {
      check.keys(input, `${where}.input`, ["vocabSize", "embeddingDim"]);
      width(input, "vocabSize", `${where}.input`, MAX_VOCABULARY);
      width(input, "embeddingDim", `${where}.input`);
    }
    const cell = check.oneOf(o.cell, `${where}.cell`, RECURRENT_KINDS);
    width(o, "hiddenSize", where);
    width(o, "numLayers", where, MAX_LAYERS);
    if (check.boolean(o.bidirectional, `${where}.bidirectional`) && forwardOnly) check.fail(`${where} must run forward only (bidirectional: false)`);
    check.oneOf(o.merge, `${where}.merge`, MERGES);
    check.probability(o.dropout, `${where}.dropout`);
    check.probability(o.recurrentDropout, `${where}.recurrentDropout`);
    if (o.wordDropout !== undefined) {
      if ("features" in input) check.fail(`${where}.wordDropout is for token inputs`);
      check.probability(o.wordDropout, `${where}.wordDropout`);
    }
    // The recurrent layer's own rules (nonlinearity only for rnn, init's entries, …).
    const { input: _input, cell: _cell, merge: _merge, wordDropout: _words, ...layer } = o;
    layerRules(cell, { ...layer, inputSize: 1 }, where);
  };
  const layerRules = (kind: RecurrentKind, options: unknown, where: string) => {
    try {
      resolve(kind, options);
    } catch (err) {
      check.fail(`${where}: ${(err as Error).message}`);
    }
  };
  // Classifiers and taggers carry their encoder's entries at the top level, beside their own.
  const flatEncoder = (o: Record<string, unknown>, where: string, own: string[]) => {
    check.keys(o, where, ["type", ...ENCODER_KEYS, ...own], ENCODER_OPTIONAL);
    encoder(Object.fromEntries(Object.entries(o).filter(([k]) => k !== "type" && !own.includes(k))), where);
  };
  const o = check.object(c, "not an object");
  switch (o.type) {
    case "classifier":
      flatEncoder(o, "classifier", ["pooling", "headDropout", "classes"]);
      check.oneOf(o.pooling, "classifier.pooling", POOLINGS);
      check.probability(o.headDropout, "classifier.headDropout");
      width(o, "classes", "classifier", MAX_VOCABULARY);
      return;
    case "tagger":
      flatEncoder(o, "tagger", ["head", "headDropout", "outputs"]);
      check.oneOf(o.head, "tagger.head", ["softmax", "regression"]);
      check.probability(o.headDropout, "tagger.headDropout");
      width(o, "outputs", "tagger", MAX_VOCABULARY);
      return;
    case "seq2seq":
      check.keys(o, "seq2seq", ["type", "encoder", "targetVocabSize", "targetEmbeddingDim", "attention", "headDropout"], ["attentionSize"]);
      encoder(o.encoder, "seq2seq.encoder", { tokens: true });
      width(o, "targetVocabSize", "seq2seq", MAX_VOCABULARY);
      width(o, "targetEmbeddingDim", "seq2seq");
      check.oneOf(o.attention, "seq2seq.attention", ATTENTIONS);
      if (o.attentionSize !== undefined) width(o, "attentionSize", "seq2seq");
      check.probability(o.headDropout, "seq2seq.headDropout");
      return;
    case "generator":
      check.keys(o, "generator", ["type", "conditionSize", "decoder", "headDropout"]);
      width(o, "conditionSize", "generator");
      encoder(o.decoder, "generator.decoder", { tokens: true, forwardOnly: true });
      check.probability(o.headDropout, "generator.headDropout");
      return;
    case "recurrent": {
      check.keys(o, "recurrent", ["type", "kind", "options"]);
      const kind = check.oneOf(o.kind, "recurrent.kind", RECURRENT_KINDS);
      layerRules(kind, check.object(o.options, "recurrent.options is missing"), "recurrent");
      return;
    }
    default:
      check.fail(`unknown model type ${JSON.stringify(o.type)}`);
  }
}

export type { EncoderConfig };

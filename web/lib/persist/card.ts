// The model card: what a model file says about its model beyond the weights
// — which pipeline made it, how its texts are tokenized, its vocabularies,
// labels or scaling, and where its data came from. A card is data only: it
// records a data file's name for people to read, and nothing in it ever
// makes the program open a path. Cards come from files, so checkCard
// validates every entry, and the vocabularies and labels against the
// model's config, before anything is built from them.

import { GatedError } from "../errors.ts";
import { isPipelineKind, PIPELINE_KINDS, type PipelineKind } from "../pipelines/kind.ts";
import { checkPresetSettings, isPreset, type PresetName, type PresetSettings } from "../data/presets.ts";
import type { ModelConfig } from "../models/create.ts";
import type { TokenizerSpec } from "../text/tokenizer.ts";
import { Vocabulary } from "../text/vocab.ts";


export const CARD_VERSION = 1;

/** Where a model's data came from, and how its held-out part was split off. */
export interface DataSource {
  /** The preset's name or the data file's name, for people to read. */
  name: string;
  /** Set when the data was a built-in preset (which can then be loaded again to score the held-out part). */
  preset?: PresetName;
  settings?: PresetSettings;
  /** The column a series was read from. */
  column?: string;
  /** Items the data had. */
  items: number;
  /** Fraction held out for testing, and the seed of that split. */
  testFraction: number;
  seed: number;
}

interface CardCommon {
  version: typeof CARD_VERSION;
  data: DataSource;
  /** When training ended (ISO 8601). */
  trained?: string;
}

export interface ClassifierCard extends CardCommon {
  kind: "classifier";
  tokenizer: TokenizerSpec;
  vocab: string[];
  labels: string[];
  /** Texts are cut to this many tokens. */
  maxTokens: number;
}

export interface LanguageModelCard extends CardCommon {
  kind: "language-model";
  tokenizer: TokenizerSpec;
  vocab: string[];
  maxTokens: number;
}

export interface TranslatorCard extends CardCommon {
  kind: "translator";
  tokenizer: TokenizerSpec;
  sourceVocab: string[];
  targetVocab: string[];
  maxTokens: number;
}

export interface ForecasterCard extends CardCommon {
  kind: "forecaster";
  /** Mean and standard deviation of the training series' changes. */
  mean: number;
  std: number;
  window: number;
  /** The series' last window + 1 values, to forecast from when no history is given. */
  tail: number[];
}

export interface GeneratorCard extends CardCommon {
  kind: "generator";
  tokenizer: TokenizerSpec;
  vocab: string[];
  conditions: string[];
  maxTokens: number;
}

export type ModelCard = ClassifierCard | LanguageModelCard | TranslatorCard | ForecasterCard | GeneratorCard;
export type CardOf<K extends PipelineKind> = Extract<ModelCard, { kind: K }>;

const MAX_TOKEN_CHARS = 1000;
const MAX_NAME = 1000;

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => !!x && typeof x === "object" && !Array.isArray(x);

/** Checks a card read from a file against the model's config; returns it typed, or refuses with the first problem. */
export function checkCard(card: unknown, config: ModelConfig): asserts card is ModelCard {
  const fail = (msg: string): never => {
    throw new GatedError(`model card: ${msg}`);
  };
  if (!isObject(card)) return fail("not an object");
  const keys = (o: Obj, where: string, required: string[], optional: string[] = []) => {
    const missing = required.filter((k) => o[k] === undefined);
    if (missing.length) fail(`${where} lacks ${missing.join(", ")}`);
    const unknown = Object.keys(o).filter((k) => !required.includes(k) && !optional.includes(k));
    if (unknown.length) fail(`${where} has unknown entries ${unknown.join(", ")}`);
  };
  const text = (v: unknown, where: string, max = MAX_NAME) => {
    if (typeof v !== "string" || v.length > max) fail(`${where} must be a text of at most ${max} characters`);
  };
  const int = (v: unknown, where: string, min: number, max: number) => {
    if (!(Number.isInteger(v) && (v as number) >= min && (v as number) <= max)) fail(`${where} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  };
  const finite = (v: unknown, where: string) => {
    if (!(typeof v === "number" && Number.isFinite(v))) fail(`${where} must be a finite number, got ${JSON.stringify(v)}`);
  };
  const strings = (v: unknown, where: string, size: number) => {
    if (!Array.isArray(v)) return fail(`${where} must be a list of texts`);
    if (v.length !== size) fail(`${where} has ${v.length} entries but the model's config has room for ${size}`);
    for (const [i, s] of v.entries()) text(s, `${where}[${i}]`, MAX_TOKEN_CHARS);
    if (new Set(v).size !== v.length) fail(`${where} lists an entry twice`);
  };
  const vocabulary = (v: unknown, where: string, size: number) => {
    strings(v, where, size);
    try {
      new Vocabulary(v as string[]);
    } catch (e) {
      fail(`${where}: ${(e as Error).message}`);
    }
  };
  const tokenizer = (v: unknown) => {
    if (!isObject(v)) return fail("tokenizer must be {kind, lowercase}");
    keys(v, "tokenizer", ["kind", "lowercase"]);
    if (v.kind !== "char" && v.kind !== "word") fail(`tokenizer.kind must be "char" or "word", got ${JSON.stringify(v.kind)}`);
    if (typeof v.lowercase !== "boolean") fail("tokenizer.lowercase must be true or false");
  };
  const modelIs = (type: ModelConfig["type"], what: string) => {
    if (config.type !== type) fail(`a ${card.kind} card needs a ${what} model, but the config is a ${config.type}`);
  };

  if (!isPipelineKind(card.kind)) fail(`kind must be one of ${PIPELINE_KINDS.join(", ")}, got ${JSON.stringify(card.kind)}`);
  if (card.version !== CARD_VERSION) fail(`version ${JSON.stringify(card.version)} is not one this Gated reads (${CARD_VERSION})`);
  if (card.trained !== undefined) text(card.trained, "trained", 40);
  checkSource(card.data, fail, keys, text, int);
  const common = ["kind", "version", "data"];
  const optional = ["trained"];
  switch (card.kind as PipelineKind) {
    case "classifier": {
      keys(card, "the card", [...common, "tokenizer", "vocab", "labels", "maxTokens"], optional);
      modelIs("classifier", "classifier");
      const c = config as Extract<ModelConfig, { type: "classifier" }>;
      if (!("vocabSize" in c.input)) return fail("a classifier card needs a model that reads tokens");
      tokenizer(card.tokenizer);
      vocabulary(card.vocab, "vocab", c.input.vocabSize);
      strings(card.labels, "labels", c.classes === 1 ? 2 : c.classes);
      int(card.maxTokens, "maxTokens", 1, 100000);
      break;
    }
    case "language-model": {
      keys(card, "the card", [...common, "tokenizer", "vocab", "maxTokens"], optional);
      modelIs("tagger", "tagger");
      const c = config as Extract<ModelConfig, { type: "tagger" }>;
      if (!("vocabSize" in c.input) || c.head !== "softmax" || c.outputs !== c.input.vocabSize) fail("a language model reads and predicts tokens of one vocabulary");
      tokenizer(card.tokenizer);
      vocabulary(card.vocab, "vocab", c.outputs);
      int(card.maxTokens, "maxTokens", 1, 100000);
      break;
    }
    case "translator": {
      keys(card, "the card", [...common, "tokenizer", "sourceVocab", "targetVocab", "maxTokens"], optional);
      modelIs("seq2seq", "seq2seq");
      const c = config as Extract<ModelConfig, { type: "seq2seq" }>;
      tokenizer(card.tokenizer);
      vocabulary(card.sourceVocab, "sourceVocab", (c.encoder.input as { vocabSize: number }).vocabSize);
      vocabulary(card.targetVocab, "targetVocab", c.targetVocabSize);
      int(card.maxTokens, "maxTokens", 1, 100000);
      break;
    }
    case "forecaster": {
      keys(card, "the card", [...common, "mean", "std", "window", "tail"], optional);
      modelIs("tagger", "tagger");
      const c = config as Extract<ModelConfig, { type: "tagger" }>;
      if (!("features" in c.input) || c.input.features !== 1 || c.head !== "regression" || c.outputs !== 1) fail("a forecaster reads and predicts one value per step");
      finite(card.mean, "mean");
      finite(card.std, "std");
      if (!((card.std as number) > 0)) fail("std must be > 0");
      int(card.window, "window", 1, 100000);
      if (!Array.isArray(card.tail) || card.tail.length !== (card.window as number) + 1) fail("tail must hold window + 1 values");
      (card.tail as unknown[]).forEach((v, i) => finite(v, `tail[${i}]`));
      break;
    }
    case "generator": {
      keys(card, "the card", [...common, "tokenizer", "vocab", "conditions", "maxTokens"], optional);
      modelIs("generator", "generator");
      const c = config as Extract<ModelConfig, { type: "generator" }>;
      tokenizer(card.tokenizer);
      vocabulary(card.vocab, "vocab", (c.decoder.input as { vocabSize: number }).vocabSize);
      strings(card.conditions, "conditions", c.conditionSize);
      int(card.maxTokens, "maxTokens", 1, 100000);
      break;
    }
  }
}

function checkSource(
  v: unknown,
  fail: (msg: string) => never,
  keys: (o: Obj, where: string, required: string[], optional?: string[]) => void,
  text: (v: unknown, where: string, max?: number) => void,
  int: (v: unknown, where: string, min: number, max: number) => void,
): void {
  if (!isObject(v)) return fail("data must describe where the data came from");
  keys(v, "data", ["name", "items", "testFraction", "seed"], ["preset", "settings", "column"]);
  text(v.name, "data.name");
  int(v.items, "data.items", 0, 2 ** 31 - 1);
  int(v.seed, "data.seed", 0, 2 ** 32 - 1);
  if (!(typeof v.testFraction === "number" && v.testFraction >= 0 && v.testFraction <= 0.9)) fail("data.testFraction must be a number from 0 to 0.9");
  if (v.preset !== undefined && !isPreset(v.preset)) fail(`data.preset ${JSON.stringify(v.preset)} is not a preset of this Gated`);
  if (v.column !== undefined) text(v.column, "data.column");
  if (v.settings !== undefined) {
    const s = v.settings;
    if (!isObject(s)) return fail("data.settings must be an object");
    if (!isPreset(v.preset)) return fail("data.settings go with a data.preset");
    try {
      checkPresetSettings(v.preset, s);
    } catch (e) {
      fail(`data.settings: ${(e as Error).message}`);
    }
  }
}

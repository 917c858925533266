// What every model card holds whatever its task (version, where the data
// came from), and the checks a task's card is made of. A card is data only:
// it records a data file's name for people to read, and nothing in it ever
// makes the program open a path.

import { checkPresetSettings, isPreset, type PresetName, type PresetSettings } from "../data/presets.ts";
import type { ModelConfig } from "../models/create.ts";
import { Vocabulary } from "../text/vocab.ts";
import { Checker } from "../util/check.ts";

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

/** One score of a model: its name, value and how to read it. */
export interface Metric {
  key: string;
  label: string;
  value: number;
  /** How to show it: a share (as %) or a plain number. */
  format: "percent" | "number";
  better: "higher" | "lower";
}

/** The held-out scores of the weights a file holds, measured before it was written, so they travel with the file. */
export interface CardScores {
  /** Items scored, and what they are ("texts", "months" …). */
  count: number;
  unit: string;
  metrics: Metric[];
}

export interface CardCommon {
  version: typeof CARD_VERSION;
  data: DataSource;
  /** When training ended (ISO 8601). */
  trained?: string;
  scores?: CardScores;
}

const MAX_TOKEN_CHARS = 1000;
const MAX_NAME = 1000;

/** The checks of a card's entries, with what tokens, vocabularies and label lists must be. */
export class CardChecker extends Checker {
  constructor() {
    super("model card");
  }

  /** A list of `size` distinct texts (labels, conditions). */
  strings(v: unknown, where: string, size: number): string[] {
    if (!Array.isArray(v)) return this.fail(`${where} must be a list of texts`);
    if (v.length !== size) this.fail(`${where} has ${v.length} entries but the model's config has room for ${size}`);
    for (const [i, s] of v.entries()) this.text(s, `${where}[${i}]`, MAX_TOKEN_CHARS);
    if (new Set(v).size !== v.length) this.fail(`${where} lists an entry twice`);
    return v;
  }

  /** A vocabulary of `size` tokens, with the special tokens where a Vocabulary needs them. */
  vocabulary(v: unknown, where: string, size: number): void {
    const tokens = this.strings(v, where, size);
    try {
      new Vocabulary(tokens);
    } catch (e) {
      this.fail(`${where}: ${(e as Error).message}`);
    }
  }

  tokenizer(v: unknown): void {
    const o = this.object(v, "tokenizer must be {kind, lowercase}");
    this.keys(o, "tokenizer", ["kind", "lowercase"]);
    if (o.kind !== "char" && o.kind !== "word") this.fail(`tokenizer.kind must be "char" or "word", got ${JSON.stringify(o.kind)}`);
    this.boolean(o.lowercase, "tokenizer.lowercase");
  }

  maxTokens(v: unknown): void {
    this.int(v, "maxTokens", 1, 100000);
  }

  scores(v: unknown): void {
    const o = this.object(v, "scores must be {count, unit, metrics}");
    this.keys(o, "scores", ["count", "unit", "metrics"]);
    this.int(o.count, "scores.count", 0, 2 ** 31 - 1);
    this.text(o.unit, "scores.unit", 40);
    if (!Array.isArray(o.metrics) || o.metrics.length > 20) return this.fail("scores.metrics must be a list of at most 20 metrics");
    o.metrics.forEach((m, i) => {
      const where = `scores.metrics[${i}]`;
      const metric = this.object(m, `${where} must be a metric`);
      this.keys(metric, where, ["key", "label", "value", "format", "better"]);
      this.text(metric.key, `${where}.key`, 40);
      this.text(metric.label, `${where}.label`, 100);
      this.finite(metric.value, `${where}.value`);
      this.oneOf(metric.format, `${where}.format`, ["percent", "number"]);
      this.oneOf(metric.better, `${where}.better`, ["higher", "lower"]);
    });
  }

  /** Where the data came from: a name for people, counts, and a preset's settings checked as the preset checks them. */
  source(v: unknown): void {
    const o = this.object(v, "data must describe where the data came from");
    this.keys(o, "data", ["name", "items", "testFraction", "seed"], ["preset", "settings", "column"]);
    this.text(o.name, "data.name", MAX_NAME);
    this.int(o.items, "data.items", 0, 2 ** 31 - 1);
    this.int(o.seed, "data.seed", 0, 2 ** 32 - 1);
    if (!(typeof o.testFraction === "number" && o.testFraction >= 0 && o.testFraction <= 0.9)) this.fail("data.testFraction must be a number from 0 to 0.9");
    if (o.preset !== undefined && !isPreset(o.preset)) this.fail(`data.preset ${JSON.stringify(o.preset)} is not a preset of this Gated`);
    if (o.column !== undefined) this.text(o.column, "data.column", MAX_NAME);
    if (o.settings === undefined) return;
    const settings = this.object(o.settings, "data.settings must be an object");
    if (!isPreset(o.preset)) return this.fail("data.settings go with a data.preset");
    try {
      checkPresetSettings(o.preset, settings);
    } catch (e) {
      this.fail(`data.settings: ${(e as Error).message}`);
    }
  }
}

/**
 * What a task's card is: the model type it goes with, its own entries (beside
 * kind, version, data and trained) and their check against the model's config.
 */
export interface CardRule {
  readonly model: ModelConfig["type"];
  readonly entries: readonly string[];
  check(card: Record<string, unknown>, config: ModelConfig, c: CardChecker): void;
}

const isType = <T extends ModelConfig["type"]>(config: ModelConfig, type: T): config is Extract<ModelConfig, { type: T }> => config.type === type;

/** A task's card rule, its check given the config already narrowed to the model type the card goes with. */
export function cardRule<T extends ModelConfig["type"]>(
  model: T, entries: readonly string[], check: (card: Record<string, unknown>, config: Extract<ModelConfig, { type: T }>, c: CardChecker) => void,
): CardRule {
  return { model, entries, check: (card, config, c) => (isType(config, model) ? check(card, config, c) : c.fail(`the card needs a ${model} model, but the config is a ${config.type}`)) };
}

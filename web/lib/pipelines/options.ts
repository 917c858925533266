// Options of a pipeline as data: each with its default, range and a short
// description, so a form can be built from them and a command line can
// parse them; checkOptions returns every problem at once. Each option is
// declared once: the typed values a pipeline reads (OptionValuesOf) are
// derived from the declaration, so no code casts an option.

import { GatedError } from "../errors.ts";

export type OptionValue = number | string | boolean;
export type OptionValues = Record<string, OptionValue>;

export interface OptionSpec {
  /** Key in the options object (camelCase). */
  key: string;
  /** The command line's flag (--hidden, --recurrent-dropout). */
  flag: string;
  label: string;
  description: string;
  group: "model" | "training";
  type: "integer" | "number" | "choice" | "boolean";
  default: OptionValue;
  /** Inclusive bounds of numbers. */
  min?: number;
  max?: number;
  choices?: readonly string[];
}

/** The value an option declaration takes: a boolean, one of its choices, or a number. */
export type ValueOf<S extends OptionSpec> = S extends { type: "boolean" } ? boolean : S extends { type: "choice"; choices: readonly (infer C)[] } ? C : number;

/** The checked values of a list of declarations, each typed by its own (a list whose keys are not known gives OptionValues). */
export type OptionValuesOf<S extends readonly OptionSpec[]> = string extends S[number]["key"] ? OptionValues : { [X in S[number] as X["key"]]: ValueOf<X> };

type SharedSpec = (typeof SHARED)[number];
/** The shared options' values, typed. */
export type SharedValues = OptionValuesOf<typeof SHARED>;
/** What every pipeline has: the training options (only model options may be left out). */
export type TrainingValues = Pick<SharedValues, Extract<SharedSpec, { group: "training" }>["key"]>;

/** A pipeline's resolved options: whatever it declares of its own, and the training options every pipeline has. */
export type RunValues = OptionValues & TrainingValues;

/** Whether values hold every training option (each pipeline declares them all; checkOptions has checked their ranges and choices). */
function hasTraining(v: OptionValues): v is RunValues {
  return SHARED.every((s) => s.group !== "training" || typeof v[s.key] === typeof s.default);
}

/** resolveOptions for a pipeline's run: the training options typed for the session. */
export function resolveRunOptions(specs: readonly OptionSpec[], values: Record<string, unknown>): RunValues {
  const resolved = resolveOptions(specs, values);
  if (!hasTraining(resolved)) throw new GatedError("a pipeline's options must declare every training option (epochs, batchSize, lr, …)");
  return resolved;
}

/** The shared options but `without`, with a pipeline's own defaults, then its own options (declared `as const`, so that their values are typed). */
export function optionSpecs<const Own extends readonly OptionSpec[] = [], W extends Extract<SharedSpec, { group: "model" }>["key"] = never>(
  defaults: Partial<SharedValues>, own?: Own, without: readonly W[] = [],
): readonly (Exclude<SharedSpec, { key: W }> | Own[number])[] {
  const kept = SHARED.filter((s): s is Exclude<SharedSpec, { key: W }> => !(without as readonly string[]).includes(s.key));
  return [...kept.map((s) => ({ ...s, default: defaults[s.key] ?? s.default })), ...(own ?? [])];
}

/** Every option filled in (defaults for the missing ones), or the list of every problem. */
export function checkOptions(specs: readonly OptionSpec[], values: Record<string, unknown>): { values: OptionValues; problems: string[] } {
  const problems: string[] = [];
  const out: OptionValues = {};
  const known = new Set(specs.map((s) => s.key));
  for (const key of Object.keys(values)) if (!known.has(key) && values[key] !== undefined) problems.push(`${key} is not an option here`);
  for (const s of specs) {
    const v = values[s.key] ?? s.default;
    const bad = (why: string) => problems.push(`${s.key} ${why}, got ${JSON.stringify(v)}`);
    if (s.type === "boolean") {
      if (typeof v !== "boolean") bad("must be true or false");
    } else if (s.type === "choice") {
      if (!s.choices!.includes(v as string)) bad(`must be one of ${s.choices!.join(", ")}`);
    } else if (typeof v !== "number" || !Number.isFinite(v) || (s.type === "integer" && !Number.isInteger(v))) {
      bad(`must be ${s.type === "integer" ? "an integer" : "a number"}`);
    } else if ((s.min !== undefined && v < s.min) || (s.max !== undefined && v > s.max)) {
      bad(`must be from ${s.min} to ${s.max}`);
    }
    out[s.key] = v as OptionValue;
  }
  return { values: out, problems };
}

/** Numbers as a link or a command line writes them: no hex, no bare exponent, nothing after. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * An option's value from text (a link's parameter, a command line's flag), checked against its
 * declaration: the value, or why the text is not one ("must be an integer from 1 to 8, got \"x\"").
 */
export function parseOption(s: OptionSpec, raw: string): { value: OptionValue } | { problem: string } {
  const got = `got "${raw}"`;
  if (s.type === "boolean") return raw === "true" || raw === "false" ? { value: raw === "true" } : { problem: `must be true or false, ${got}` };
  if (s.type === "choice") return s.choices?.includes(raw) ? { value: raw } : { problem: `must be one of ${s.choices?.join(", ")}, ${got}` };
  const n = Number(raw);
  const bounds = s.max !== undefined ? `from ${s.min} to ${s.max}` : `≥ ${s.min}`;
  if (!NUMBER.test(raw.trim()) || (s.type === "integer" && !Number.isInteger(n)) || (s.min !== undefined && n < s.min) || (s.max !== undefined && n > s.max)) {
    return { problem: `must be ${s.type === "integer" ? "an integer" : "a number"} ${bounds}, ${got}` };
  }
  return { value: n };
}

/** checkOptions that throws one GatedError listing every problem; the values typed by their declarations. */
export function resolveOptions<const S extends readonly OptionSpec[]>(specs: S, values: Record<string, unknown>): OptionValuesOf<S> {
  const r = checkOptions(specs, values);
  if (r.problems.length) throw new GatedError(`invalid options: ${r.problems.join("; ")}`);
  // checkOptions has just checked every value against its declaration: the one place options take their types.
  return r.values as OptionValuesOf<S>;
}

const SHARED = [
  { key: "cell", flag: "cell", label: "Cell", description: "The recurrent cell: vanilla RNN, LSTM or GRU.", group: "model", type: "choice", default: "gru", choices: ["rnn", "lstm", "gru"] },
  { key: "hiddenSize", flag: "hidden", label: "Hidden units", description: "Size of the recurrent state h_t.", group: "model", type: "integer", default: 64, min: 1, max: 4096 },
  { key: "embeddingDim", flag: "embedding", label: "Embedding size", description: "Width of each token's learned vector.", group: "model", type: "integer", default: 64, min: 1, max: 4096 },
  { key: "numLayers", flag: "layers", label: "Layers", description: "Recurrent layers stacked on each other.", group: "model", type: "integer", default: 1, min: 1, max: 8 },
  { key: "bidirectional", flag: "bidirectional", label: "Bidirectional", description: "Also read each sequence backwards and combine both directions.", group: "model", type: "boolean", default: false },
  { key: "merge", flag: "merge", label: "Merge", description: "How a bidirectional layer's two directions combine.", group: "model", type: "choice", default: "concat", choices: ["concat", "sum", "mean", "mul"] },
  { key: "dropout", flag: "dropout", label: "Dropout", description: "Dropout between stacked recurrent layers.", group: "model", type: "number", default: 0, min: 0, max: 0.9 },
  { key: "recurrentDropout", flag: "recurrent-dropout", label: "Recurrent dropout", description: "Dropout of the recurrent state, one mask per sequence (variational).", group: "model", type: "number", default: 0, min: 0, max: 0.9 },
  { key: "epochs", flag: "epochs", label: "Epochs", description: "Passes over the training data.", group: "training", type: "integer", default: 10, min: 1, max: 10000 },
  { key: "batchSize", flag: "batch", label: "Batch size", description: "Sequences per gradient step.", group: "training", type: "integer", default: 32, min: 1, max: 4096 },
  { key: "lr", flag: "lr", label: "Learning rate", description: "Step size of the optimizer.", group: "training", type: "number", default: 0.003, min: 1e-7, max: 10 },
  { key: "optimizer", flag: "optimizer", label: "Optimizer", description: "The update rule.", group: "training", type: "choice", default: "adam", choices: ["adam", "adamw", "sgd", "rmsprop", "adagrad"] },
  { key: "clipNorm", flag: "clip-norm", label: "Clip norm", description: "Rescale gradients to at most this global L2 norm (0: off).", group: "training", type: "number", default: 1, min: 0, max: 1e6 },
  { key: "clipValue", flag: "clip-value", label: "Clip value", description: "Clamp each gradient entry to ± this value (0: off).", group: "training", type: "number", default: 0, min: 0, max: 1e6 },
  { key: "patience", flag: "patience", label: "Patience", description: "Stop after this many epochs without a better validation loss, keeping the best weights.", group: "training", type: "integer", default: 3, min: 1, max: 10000 },
  { key: "validationSplit", flag: "validation", label: "Validation share", description: "Share of the training data set aside to validate each epoch.", group: "training", type: "number", default: 0.1, min: 0, max: 0.5 },
  { key: "seed", flag: "seed", label: "Seed", description: "Seed of the weights, the shuffling and the dropout masks.", group: "training", type: "integer", default: 1, min: 0, max: 2 ** 31 - 1 },
] as const satisfies readonly OptionSpec[];

// The command line's grammar: which flags each command takes, strict
// numbers (decimal only: "0x10" or "1e" are refused), and the pipelines'
// options read from their flags. Anything given that a command or pipeline
// does not use is refused rather than silently ignored.

import { parseArgs } from "node:util";
import { type OptionSpec, parseOption } from "../lib/pipelines/options.ts";
import { PIPELINES } from "../lib/pipelines/registry.ts";

/** A mistake in the arguments: one line, exit status 2. */
export class UsageError extends Error {}

export type Values = Record<string, string | boolean | undefined>;

/** Flags of the pipelines' options (from their specs), and the one that turns a default-bidirectional model around. */
export const OPTION_FLAGS = new Set([...Object.values(PIPELINES).flatMap((p) => p.options.map((s: OptionSpec) => s.flag)), "unidirectional"]);

interface Flag {
  type: "string" | "boolean";
  short?: string;
  help: string;
}

/** Flags of the command line itself (not options of a model or of training). */
export const FLAGS: Record<string, Flag> = {
  data: { type: "string", help: "FILE  your data file" },
  task: { type: "string", help: "TASK  what to learn from --data" },
  encoding: { type: "string", help: "utf-8|latin1  the data file's encoding (default utf-8)" },
  column: { type: "string", help: "NAME  the column of a CSV series (default: the last numeric one)" },
  limit: { type: "string", help: "N  use only the first N items of the data" },
  test: { type: "string", help: "F  share of the data held out for testing" },
  dataset: { type: "string", help: "uci|imdb  which sentiment corpus (sentiment preset)" },
  pairs: { type: "string", help: "N  how many phrase pairs (translate preset)" },
  out: { type: "string", help: "PATH  where to write: train's model file (default PRESET.safetensors), export's ONNX file or PyTorch folder" },
  "checkpoint-every": { type: "string", help: "SECONDS  also save a checkpoint (OUT.checkpoint) this often" },
  resume: { type: "string", help: "CHECKPOINT  go on with an interrupted training" },
  continue: { type: "string", help: "MODEL  train a saved model further (--epochs N more)" },
  model: { type: "string", help: "FILE  the model file to use" },
  checkpoint: { type: "string", help: "FILE  a training checkpoint (PyTorch export: training goes on with its optimizer state)" },
  format: { type: "string", help: "onnx|pytorch  what to export to" },
  "held-out": { type: "boolean", help: "score only the part of --data held out in training" },
  n: { type: "string", short: "n", help: "N  how many samples (at most 10000)" },
  temperature: { type: "string", help: "T  sampling temperature: 0 greedy, below 1 safer, above 1 wilder" },
  "top-k": { type: "string", help: "K  sample among the K most likely tokens" },
  prefix: { type: "string", help: "TEXT  text the samples start with" },
  condition: { type: "string", help: "LABEL  what to generate (generate-by-label models)" },
  beam: { type: "string", help: "N  beam width (1: greedy)" },
  "per-word": { type: "boolean", help: "show the verdict after each word" },
  json: { type: "boolean", help: "one JSON object per text: {text, label, probabilities}" },
  steps: { type: "string", help: "N  how many values to forecast (at most 10000)" },
  backend: { type: "string", help: "wasm-simd|wasm|js  which engine runs" },
  "max-memory": { type: "string", help: "MB  the engine's memory limit (default 4096)" },
  help: { type: "boolean", short: "h", help: "this help" },
  version: { type: "boolean", help: "the version" },
};

export interface Command {
  usage: string;
  summary: string;
  flags: string[];
  /** Whether pipeline options (--hidden, --epochs, …) apply. */
  options?: boolean;
  texts?: boolean;
}

const ENGINE = ["backend", "max-memory", "help"];
const SAMPLING = ["n", "temperature", "top-k", "seed"];

export const COMMANDS: Record<string, Command> = {
  train: {
    usage: "gated train <preset> [options] | gated train --data FILE --task TASK [options] | gated train --resume CHECKPOINT | gated train --continue MODEL --epochs N",
    summary: "train a model, report held-out metrics and save it",
    flags: ["data", "task", "encoding", "column", "limit", "test", "dataset", "pairs", "out", "checkpoint-every", "resume", "continue", ...ENGINE],
    options: true,
  },
  eval: {
    usage: "gated eval --model FILE [--data FILE [--held-out]]",
    summary: "score a model on the held-out part of its preset, or on a data file",
    flags: ["model", "data", "encoding", "column", "limit", "held-out", "seed", ...ENGINE],
  },
  predict: { usage: "gated predict --model FILE [--json] TEXT...", summary: "classify texts", flags: ["model", "per-word", "json", ...ENGINE], texts: true },
  generate: { usage: "gated generate --model FILE [-n 10]", summary: "sample texts", flags: ["model", "prefix", "condition", ...SAMPLING, ...ENGINE] },
  translate: { usage: "gated translate --model FILE TEXT...", summary: "translate texts", flags: ["model", "beam", ...ENGINE], texts: true },
  export: {
    usage: "gated export --model FILE --format onnx --out FILE.onnx | gated export --model FILE --format pytorch --out DIR | gated export --checkpoint FILE --format pytorch --out DIR",
    summary: "write a model as ONNX, or as a PyTorch folder (predict.py, train.py)",
    flags: ["model", "checkpoint", "format", "out", ...ENGINE],
  },
  forecast: { usage: "gated forecast --model FILE [--steps 12] [--data FILE]", summary: "continue a series", flags: ["model", "steps", "data", "encoding", "column", ...ENGINE] },
};

export function parse(argv: string[]): { values: Values; positionals: string[] } {
  const options = Object.fromEntries([
    ...Object.entries(FLAGS).map(([name, f]) => [name, { type: f.type, ...(f.short ? { short: f.short } : {}) }]),
    ...[...OPTION_FLAGS].map((flag) => [flag, { type: flag === "bidirectional" || flag === "unidirectional" ? "boolean" : "string" }]),
  ]);
  try {
    const r = parseArgs({ args: argv, options: options as never, allowPositionals: true, strict: true, tokens: true });
    // An option given twice is a mistake in one of them; taking the last would hide it.
    const seen = new Set<string>();
    for (const t of r.tokens ?? []) {
      if (t.kind !== "option") continue;
      if (seen.has(t.name)) throw new UsageError(`--${t.name} is given twice`);
      seen.add(t.name);
    }
    return { values: r.values as Values, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, "").replace(/\s*\n\s*/g, " "));
  }
}

/** Refuses flags the command does not take (pipeline options only where the command trains). */
export function checkFlags(command: string, values: Values): void {
  const c = COMMANDS[command];
  for (const [flag, v] of Object.entries(values)) {
    if (v === undefined || c.flags.includes(flag) || (c.options && OPTION_FLAGS.has(flag))) continue;
    throw new UsageError(`--${flag} is not an option of gated ${command}`);
  }
}

/** A decimal number as people write it; anything else is refused. */
export function number(values: Values, flag: string, { integer = false, min = -Infinity, max = Infinity } = {}): number | undefined {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== "string" || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw.trim()) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    const bounds = max < Infinity ? `from ${min} to ${max}` : `≥ ${min}`;
    throw new UsageError(`--${flag} must be ${integer ? "an integer" : "a number"} ${bounds}, got "${raw}"`);
  }
  return n;
}

/** A flag's text (a flag given without one is refused). */
export function text(values: Values, flag: string): string | undefined {
  const raw = values[flag];
  if (typeof raw === "boolean") throw new UsageError(`--${flag} needs a value`);
  return raw;
}

export function choice<T extends string>(values: Values, flag: string, allowed: readonly T[]): T | undefined {
  const raw = values[flag];
  if (raw !== undefined && !allowed.includes(raw as T)) throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, got "${raw}"`);
  return raw as T | undefined;
}

/** A pipeline's options from their flags; a flag of an option the pipeline lacks is refused, naming what it is for. */
export function pipelineOptions(specs: readonly OptionSpec[], values: Values, what: string): Record<string, unknown> {
  const byFlag = new Map(specs.map((s) => [s.flag, s]));
  const out: Record<string, unknown> = {};
  for (const [flag, raw] of Object.entries(values)) {
    if (raw === undefined || !OPTION_FLAGS.has(flag)) continue;
    if (flag === "unidirectional" || flag === "bidirectional") {
      if (!byFlag.has("bidirectional")) throw new UsageError(`--${flag} is not an option of ${what}`);
      if (values.bidirectional && values.unidirectional) throw new UsageError("--bidirectional and --unidirectional exclude each other");
      out.bidirectional = flag === "bidirectional";
      continue;
    }
    const s = byFlag.get(flag);
    if (!s) throw new UsageError(`--${flag} is not an option of ${what}`);
    // The same parse as a link's parameters, from the option's one declaration.
    const r = parseOption(s, String(raw));
    if ("problem" in r) throw new UsageError(`--${flag} ${r.problem}`);
    out[s.key] = r.value;
  }
  return out;
}

export function helpFor(command: string): string {
  const c = COMMANDS[command];
  const lines = [`${c.usage}`, "", `  ${c.summary}`, ""];
  for (const f of c.flags) lines.push(`  --${f.padEnd(18)} ${FLAGS[f]?.help ?? ""}`);
  if (c.options) {
    lines.push("", "  model and training options (each pipeline takes its own; see gated help):");
    const all = new Map<string, OptionSpec>();
    for (const p of Object.values(PIPELINES)) for (const s of p.options as OptionSpec[]) if (!all.has(s.flag)) all.set(s.flag, s);
    for (const s of all.values()) lines.push(`  --${s.flag.padEnd(18)} ${describe(s)}`);
    lines.push(`  --${"unidirectional".padEnd(18)} read each sequence forwards only`);
  }
  return lines.join("\n");
}

export function describe(s: OptionSpec): string {
  const range = s.type === "choice" ? s.choices!.join("|") : s.type === "boolean" ? "" : `${s.min}…${s.max}`;
  return `${range ? `${range}  ` : ""}${s.description}`;
}

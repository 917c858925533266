// The `gated` command line: train models on the built-in data sets or your
// own files, then evaluate them and use them. Every bad argument ends with a
// one-line error naming it and exit status 2; other failures with status 1.

import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { BACKENDS, type Backend, createEngine, type Engine } from "../lib/engine.ts";
import { GatedError } from "../lib/errors.ts";
import type { OptimizerKind } from "../lib/optim/optimizer.ts";
import { loadModel, saveModel } from "../lib/persist/model-file.ts";
import type { Model } from "../lib/models/create.ts";
import type { SequenceClassifier } from "../lib/models/classifier.ts";
import type { SequenceTagger } from "../lib/models/tagger.ts";
import type { Seq2Seq } from "../lib/models/seq2seq.ts";
import type { SequenceGenerator } from "../lib/models/generator.ts";
import { classifyTexts } from "../lib/pipelines/text-classifier.ts";
import { generateTexts } from "../lib/pipelines/language-model.ts";
import { translateTexts } from "../lib/pipelines/translator.ts";
import { forecast } from "../lib/pipelines/forecaster.ts";
import { generateFor } from "../lib/pipelines/conditional-generator.ts";
import { train } from "../lib/training/trainer.ts";
import { Random } from "../lib/util/random.ts";
import { type Extras, type JobOptions, prepareJob, report } from "./jobs.ts";
import { type DataSource, loadItems, pipelineOf, PRESETS, type Preset, TASKS } from "./sources.ts";
import { ProgressBar } from "./progress.ts";

class UsageError extends Error {}

const HELP = `gated — recurrent networks (RNN, LSTM, GRU) in WebAssembly SIMD

  gated train <preset> [options]          train on a built-in data set and save the model
  gated train --data FILE --task TASK     train on your own file
  gated eval --model FILE [--data FILE]   score a model on its held-out data (or on FILE)
  gated predict --model FILE TEXT...      classify texts
  gated generate --model FILE [-n 10]     sample texts (--temperature, --top-k, --prefix, --condition)
  gated translate --model FILE TEXT...    translate (--beam N for beam search)
  gated forecast --model FILE [--steps 12] continue the series (its data, or --data FILE)

presets:
${Object.entries(PRESETS).map(([k, v]) => `  ${k.padEnd(12)} ${v.about}`).join("\n")}

tasks for --data: classify (CSV/TSV text,label), generate (one item per line),
  translate (TSV source<TAB>target), forecast (CSV with a header; --column NAME),
  generate-by-label (CSV text,label: generates texts for a label)

training options:
  --cell lstm|gru|rnn  --hidden N  --layers N  --embedding N  --bidirectional | --unidirectional
  --merge concat|sum|mean|mul  --pooling last|mean|max  --attention dot|general|additive|none
  --dropout P  --recurrent-dropout P  --epochs N  --batch N  --lr X  --optimizer adam|adamw|sgd|rmsprop|adagrad
  --clip-norm X  --clip-value X  --patience N  --validation F  --test F  --seed N  --limit N
  --pairs N (translate)  --dataset uci|imdb (sentiment)  --window N (forecast)
  --backend wasm-simd|wasm|js  --out FILE`;

const OPTIONS = {
  data: { type: "string" }, task: { type: "string" }, model: { type: "string" }, out: { type: "string" },
  cell: { type: "string" }, hidden: { type: "string" }, layers: { type: "string" }, embedding: { type: "string" },
  bidirectional: { type: "boolean" }, unidirectional: { type: "boolean" }, merge: { type: "string" }, pooling: { type: "string" },
  attention: { type: "string" }, dropout: { type: "string" }, "recurrent-dropout": { type: "string" },
  epochs: { type: "string" }, batch: { type: "string" }, lr: { type: "string" }, optimizer: { type: "string" },
  "clip-norm": { type: "string" }, "clip-value": { type: "string" }, patience: { type: "string" },
  validation: { type: "string" }, test: { type: "string" }, seed: { type: "string" }, limit: { type: "string" },
  pairs: { type: "string" }, dataset: { type: "string" }, window: { type: "string" }, column: { type: "string" },
  backend: { type: "string" }, n: { type: "string", short: "n" }, temperature: { type: "string" }, "top-k": { type: "string" },
  prefix: { type: "string" }, condition: { type: "string" }, beam: { type: "string" }, steps: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parse>["values"];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
}

function num(v: Values, key: keyof Values, { integer = false, min = -Infinity, max = Infinity, exclusiveMin = false } = {}): number | undefined {
  const raw = v[key];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const low = exclusiveMin ? n > min : n >= min;
  if (raw === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || !low || n > max) {
    const range = integer ? `an integer ≥ ${min}` : `a number ${exclusiveMin ? ">" : "≥"} ${min}${max < Infinity ? ` and ≤ ${max}` : ""}`;
    throw new UsageError(`--${key} must be ${range}, got "${raw}"`);
  }
  return n;
}

function choice<T extends string>(v: Values, key: keyof Values, allowed: readonly T[]): T | undefined {
  const raw = v[key] as string | undefined;
  if (raw !== undefined && !allowed.includes(raw as T)) throw new UsageError(`--${key} must be one of ${allowed.join(", ")}, got "${raw}"`);
  return raw as T | undefined;
}

async function engineFor(v: Values): Promise<Engine> {
  const backend = choice<Backend>(v, "backend", BACKENDS) ?? "wasm-simd";
  return createEngine({ backend, seed: num(v, "seed", { integer: true, min: 0 }) ?? 1, maxMemoryMB: 4096 });
}

async function trainCommand(v: Values, positionals: string[]): Promise<void> {
  const presetName = positionals[0];
  if (presetName && !(presetName in PRESETS)) throw new UsageError(`unknown preset "${presetName}"; use one of ${Object.keys(PRESETS).join(", ")}, or --data FILE --task TASK`);
  if (!presetName && !v.data) throw new UsageError("train needs a preset or --data FILE --task TASK");
  if (presetName && v.data) throw new UsageError("give either a preset or --data, not both");
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  if (v.data && !v.task) throw new UsageError(`--data needs --task (${Object.keys(TASKS).join(", ")})`);
  if (v.task && !(v.task in TASKS)) throw new UsageError(`unknown --task "${v.task}"; use one of ${Object.keys(TASKS).join(", ")}`);
  if (v.task && presetName) throw new UsageError("--task goes with --data; a preset knows its task");
  const source: DataSource = {
    preset: presetName as Preset | undefined,
    file: v.data,
    dataset: choice(v, "dataset", ["uci", "imdb"] as const),
    column: v.column,
    limit: num(v, "limit", { integer: true, min: 10 }),
    pairs: num(v, "pairs", { integer: true, min: 20 }),
    seed: num(v, "seed", { integer: true, min: 0 }) ?? 1,
    testFraction: num(v, "test", { min: 0, max: 0.5 }) ?? (presetName === "series" ? 0.2 : 0.1),
  };
  if (source.dataset && presetName !== "sentiment") throw new UsageError("--dataset is an option of the sentiment preset");
  if (source.pairs && presetName !== "translate") throw new UsageError("--pairs is an option of the translate preset");
  const pipeline = pipelineOf(source, v.task);
  if (v.bidirectional && v.unidirectional) throw new UsageError("--bidirectional and --unidirectional exclude each other");
  const options: JobOptions = {
    cell: choice(v, "cell", ["lstm", "gru", "rnn"] as const),
    hiddenSize: num(v, "hidden", { integer: true, min: 1 }),
    numLayers: num(v, "layers", { integer: true, min: 1 }),
    embeddingDim: num(v, "embedding", { integer: true, min: 1 }),
    bidirectional: v.bidirectional ? true : v.unidirectional ? false : undefined,
    merge: choice(v, "merge", ["concat", "sum", "mean", "mul"] as const),
    pooling: choice(v, "pooling", ["last", "mean", "max"] as const),
    attention: choice(v, "attention", ["dot", "general", "additive", "none"] as const),
    dropout: num(v, "dropout", { min: 0, max: 0.9 }),
    recurrentDropout: num(v, "recurrent-dropout", { min: 0, max: 0.9 }),
    window: num(v, "window", { integer: true, min: 2 }),
  };
  const engine = await engineFor(v);
  const items = loadItems(source, pipeline);
  const job = prepareJob(pipeline, items, source, options);
  const d = job.defaults;
  const model = (await import("../lib/models/create.ts")).createModel(engine, job.config);
  const epochs = num(v, "epochs", { integer: true, min: 1 }) ?? d.epochs;
  console.log(`${presetName ?? v.data}: ${job.examples.length} training examples, ${model.parameters().reduce((n, p) => n + p.size, 0).toLocaleString("en-US")} weights, ${engine.backend} (${engine.variant})`);
  const bar = new ProgressBar(epochs);
  const result = await train(engine, job.task(model), job.examples, {
    epochs,
    batchSize: num(v, "batch", { integer: true, min: 1 }) ?? d.batchSize,
    optimizer: choice<OptimizerKind>(v, "optimizer", ["adam", "adamw", "sgd", "rmsprop", "adagrad"]) ?? "adam",
    optimizerOptions: { lr: num(v, "lr", { min: 0, exclusiveMin: true }) ?? d.lr },
    clipNorm: num(v, "clip-norm", { min: 0, exclusiveMin: true }) ?? d.clipNorm,
    clipValue: num(v, "clip-value", { min: 0, exclusiveMin: true }),
    validation: job.validation,
    validationSplit: job.validation ? undefined : num(v, "validation", { min: 0, max: 0.5 }) ?? 0.1,
    earlyStopping: { patience: num(v, "patience", { integer: true, min: 1 }) ?? d.patience },
    seed: source.seed,
    onProgress: (p) => bar.update(p),
    onEpoch: (e) => bar.epoch(e),
  });
  bar.done();
  console.log(`training ${result.stopped === "completed" ? "completed" : "stopped early"}; best epoch ${result.bestEpoch}`);
  for (const line of report(model, job.extras, items, source.seed).lines) console.log(line);
  const out = v.out ?? `${presetName ?? "model"}.safetensors`;
  writeFileSync(out, saveModel(model, job.extras as unknown as Record<string, unknown>));
  console.log(`saved ${out}`);
}

async function open(v: Values): Promise<{ engine: Engine; model: Model; extras: Extras }> {
  if (!v.model) throw new UsageError("--model FILE is required");
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(v.model);
  } catch {
    throw new GatedError(`cannot read the model file ${v.model}`);
  }
  const engine = await engineFor(v);
  const { model, extras } = loadModel<Extras>(engine, bytes, v.model);
  if (!extras || typeof extras !== "object" || !("pipeline" in extras)) throw new GatedError(`${v.model} holds a bare layer, not a model the CLI can use`);
  return { engine, model, extras };
}

function expect(extras: Extras, pipeline: Extras["pipeline"], command: string): void {
  if (extras.pipeline !== pipeline) throw new UsageError(`${command} needs a ${pipeline} model; this one is a ${extras.pipeline}`);
}

async function evalCommand(v: Values): Promise<void> {
  const { model, extras } = await open(v);
  const source: DataSource = v.data ? { ...extras.source, preset: undefined, file: v.data, testFraction: 1 } : extras.source;
  const pipeline = extras.pipeline;
  const items = loadItems(source, pipeline);
  for (const line of report(model, { ...extras, source }, items, num(v, "seed", { integer: true, min: 0 }) ?? 1).lines) console.log(line);
}

async function useCommand(command: string, v: Values, texts: string[]): Promise<void> {
  const { model, extras } = await open(v);
  const rng = new Random(num(v, "seed", { integer: true, min: 0 }) ?? Date.now() % 2 ** 31);
  const sampling = { temperature: num(v, "temperature", { min: 0 }) ?? 1, topK: num(v, "top-k", { integer: true, min: 1 }) };
  const n = num(v, "n", { integer: true, min: 1 }) ?? 10;
  const needTexts = () => {
    if (texts.length === 0) throw new UsageError(`${command} needs at least one text`);
  };
  switch (command) {
    case "predict":
      expect(extras, "classifier", command);
      needTexts();
      classifyTexts(model as SequenceClassifier, extras as never, texts).forEach((r, i) => {
        const ps = Object.entries(r.probabilities).map(([l, p]) => `${l} ${(100 * p).toFixed(1)}%`).join(", ");
        console.log(`${r.label}\t${ps}\t${texts[i]}`);
      });
      return;
    case "generate":
      if (extras.pipeline === "generator") {
        if (!v.condition) throw new UsageError(`--condition is required: one of ${extras.conditions.join(", ")}`);
        generateFor(model as SequenceGenerator, extras, v.condition, n, rng, sampling).forEach((s) => console.log(s));
        return;
      }
      expect(extras, "language-model", command);
      generateTexts(model as SequenceTagger, extras as never, n, rng, { ...sampling, prefix: v.prefix }).forEach((s) => console.log(s));
      return;
    case "translate": {
      expect(extras, "translator", command);
      needTexts();
      const beam = num(v, "beam", { integer: true, min: 1 }) ?? 1;
      translateTexts(model as Seq2Seq, extras as never, texts, { beam }).forEach((r) => console.log(r.text));
      return;
    }
    case "forecast": {
      expect(extras, "forecaster", command);
      const values = loadItems(v.data ? { ...extras.source, preset: undefined, file: v.data } : extras.source, "forecaster");
      if (values.kind !== "series") throw new UsageError("forecast needs a numeric series");
      const steps = num(v, "steps", { integer: true, min: 1 }) ?? 12;
      forecast(model as SequenceTagger, extras as never, values.values, steps).forEach((x, i) => console.log(`+${i + 1}\t${x.toFixed(3)}`));
      return;
    }
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === "help" || command === "--help" || command === "-h") {
      console.log(HELP);
      return 0;
    }
    const { values, positionals } = parse(rest);
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    switch (command) {
      case "train":
        await trainCommand(values, positionals);
        return 0;
      case "eval":
        if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
        await evalCommand(values);
        return 0;
      case "predict":
      case "generate":
      case "translate":
      case "forecast":
        await useCommand(command, values, positionals);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"; run gated help`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`gated: ${e.message}`);
      return 2;
    }
    if (e instanceof GatedError) {
      console.error(`gated: ${e.message}`);
      return 1;
    }
    throw e;
  }
}


// `gated train`: a pipeline's training run driven from a terminal — started
// on a preset or a file, resumed from a checkpoint, or continued from a saved
// model — with progress, periodic checkpoints, Ctrl-C that keeps the work
// done, held-out metrics and an atomically written model file.

import { say, warn } from "./print.ts";
import { basename, join } from "node:path";
import { isPreset, PHRASE_POOL, PRESETS, type PresetName, type PresetSettings } from "../lib/data/presets.ts";
import type { Engine } from "../lib/engine.ts";
import { GatedError } from "../lib/errors.ts";
import type { PipelineKind } from "../lib/pipelines/kind.ts";
import { decodeCheckpoint } from "../lib/persist/checkpoint.ts";
import { loadModel } from "../lib/persist/model-file.ts";
import { checkOptions } from "../lib/pipelines/options.ts";
import type { AnyPipeline, Evaluation } from "../lib/pipelines/pipeline.ts";
import { pipelineFor, pipelineForTask, TASKS } from "../lib/pipelines/registry.ts";
import { type DataOrigin, fileData, PipelineRun, type RunHooks } from "../lib/pipelines/run.ts";
import { choice, number, OPTION_FLAGS, pipelineOptions, text, UsageError, type Values } from "./args.ts";
import { checkWritable, type Encoding, readBytes, readText, rescueFolder, writeAtomically } from "./files.ts";
import { ProgressBar } from "./progress.ts";
import { evaluationLines } from "./report.ts";
import { nodePresetItems } from "../lib/data/node-datasets.ts";

/** Where the data comes from, as the command line says it. */
export interface DataRequest {
  preset?: PresetName;
  settings?: PresetSettings;
  file?: string;
  column?: string;
  encoding?: Encoding;
  limit?: number;
  seed: number;
}

/** Reads a file flag set (--data, --column, --encoding, --limit). */
export function fileRequest(values: Values, seed: number): DataRequest {
  return {
    file: text(values, "data"),
    column: text(values, "column"),
    encoding: choice(values, "encoding", ["utf-8", "latin1"] as const),
    limit: number(values, "limit", { integer: true, min: 1 }),
    seed,
  };
}

/** The pipeline's items and what the card records of them. */
export async function loadData(pipeline: AnyPipeline, r: DataRequest): Promise<{ items: unknown; origin: DataOrigin }> {
  if (r.preset) {
    return { items: await nodePresetItems(r.preset, r.settings ?? {}, r.seed), origin: { name: r.preset, preset: r.preset, ...(r.settings && Object.keys(r.settings).length ? { settings: r.settings } : {}) } };
  }
  const file = r.file!;
  const { items, origin } = fileData(pipeline, readText(file, r.encoding), { name: file, column: r.column });
  return { items: r.limit !== undefined && Array.isArray(items) ? items.slice(0, r.limit) : items, origin: { ...origin, name: basename(file) } };
}

/** The data a card names: its preset again, or the file the user gives (a card never chooses a file). */
export async function cardData(pipeline: AnyPipeline, card: { data: { name: string; preset?: PresetName; settings?: PresetSettings; column?: string; seed: number } }, values: Values, what: string) {
  if (values.data) return loadData(pipeline, { ...fileRequest(values, card.data.seed), column: text(values, "column") ?? card.data.column });
  if (card.data.preset) return loadData(pipeline, { preset: card.data.preset, settings: card.data.settings, seed: card.data.seed });
  throw new UsageError(`${what} was trained on the file ${card.data.name}; give it with --data FILE`);
}

const defaultOut = (name: string) => `${name.replace(/\.safetensors$/, "")}.safetensors`;
const checkpointPath = (out: string) => `${out.replace(/\.safetensors$/, "")}.checkpoint.safetensors`;

export async function trainCommand(engineFor: (seed: number) => Promise<Engine>, values: Values, positionals: string[]): Promise<number> {
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const preset = positionals[0];
  const modes = [preset && "a preset", values.data && !values.resume && !values.continue && "--data", values.resume && "--resume", values.continue && "--continue"].filter(Boolean);
  if (values.resume && values.continue) throw new UsageError("--resume and --continue exclude each other");
  if (preset && (values.data || values.resume || values.continue)) throw new UsageError(`give either a preset or ${values.data ? "--data" : values.resume ? "--resume" : "--continue"}, not both`);
  if (modes.length === 0) throw new UsageError("train needs a preset or --data FILE --task TASK (or --resume CHECKPOINT, or --continue MODEL)");
  if (preset && !isPreset(preset)) throw new UsageError(`unknown preset "${preset}"; use one of ${Object.keys(PRESETS).join(", ")}, or --data FILE --task TASK`);
  if (values.task && (preset || values.resume || values.continue)) throw new UsageError("--task goes with --data; a preset, a checkpoint or a model knows its task");
  if (values.data && !values.task && !values.resume && !values.continue) throw new UsageError(`--data needs --task (${TASKS.join(", ")})`);
  if (values.task && !TASKS.includes(text(values, "task")!)) throw new UsageError(`unknown --task "${values.task}"; use one of ${TASKS.join(", ")}`);
  const every = number(values, "checkpoint-every", { min: 1 });

  // Everything the command line says is checked before any data is read.
  let run: PipelineRun;
  let out: string;
  let engine: Engine;
  if (values.resume) {
    refuse(values, ["task", "limit", "test", "dataset", "pairs"], "--resume (the checkpoint knows its data and settings)");
    const given = Object.keys(values).filter((k) => values[k] !== undefined && OPTION_FLAGS.has(k));
    if (given.length) throw new UsageError(`--${given[0]} cannot change when a training is resumed; the checkpoint holds its settings`);
    const path = text(values, "resume")!;
    const bytes = readBytes(path, "the checkpoint ");
    const { card } = decodeCheckpoint(bytes, path);
    if (!card) throw new GatedError(`${path} holds no model card, so the command line cannot resume it`);
    const pipeline = pipelineFor(card.kind);
    out = text(values, "out") ?? defaultOut(card.data.preset ?? "model");
    checkWritable(out, [path, text(values, "data")]);
    engine = await engineFor(card.data.seed);
    const { items } = await cardData(pipeline, card, values, path);
    run = PipelineRun.resume(engine, bytes, items, hooks(), path);
    say(`resuming ${card.data.name} at epoch ${run.session.info().epoch + 1}, batch ${run.session.info().batch + 1}`);
  } else if (values.continue) {
    refuse(values, ["dataset", "pairs"], "--continue");
    const path = text(values, "continue")!;
    const bytes = readBytes(path, "the model file ");
    const probe = loadModel(await engineFor(1), bytes, path);
    if (!probe.card) throw new GatedError(`${path} holds a bare layer, not a model the command line can train`);
    const pipeline = pipelineFor(probe.card.kind);
    const options = checked(pipeline, values, `a ${probe.card.kind} model`);
    out = text(values, "out") ?? path;
    checkWritable(out, [text(values, "data")]);
    engine = await engineFor(seedOf(options));
    const { items, origin } = await cardData(pipeline, probe.card, values, path);
    run = PipelineRun.continue(engine, bytes, { items, origin, options, testFraction: number(values, "test", { min: 0, max: 0.5 }), hooks: hooks() }, path);
  } else {
    const pipeline = preset ? pipelineFor(PRESETS[preset as PresetName].pipeline as PipelineKind) : pipelineForTask(text(values, "task")!);
    const what = preset ? `the ${preset} preset (${pipeline.title.toLowerCase()})` : `--task ${values.task}`;
    if (values.dataset && preset !== "sentiment") throw new UsageError("--dataset is an option of the sentiment preset");
    if (values.pairs && preset !== "translate") throw new UsageError("--pairs is an option of the translate preset");
    if (values.column && (preset || pipeline.kind !== "forecaster")) throw new UsageError("--column goes with --data for a forecast task");
    if (values.encoding && preset) throw new UsageError("--encoding goes with --data");
    const options = checked(pipeline, values, what);
    out = text(values, "out") ?? defaultOut(preset ?? "model");
    checkWritable(out, [text(values, "data")]);
    const seed = seedOf(options);
    const request: DataRequest = preset
      ? { preset: preset as PresetName, settings: presetSettings(values), seed }
      : fileRequest(values, seed);
    engine = await engineFor(seed);
    const { items, origin } = await loadData(pipeline, request);
    run = PipelineRun.start(engine, { kind: pipeline.kind, items, origin, options, testFraction: number(values, "test", { min: 0, max: 0.5 }), hooks: hooks() });
  }
  if (every) checkWritable(checkpointPath(out), [text(values, "data"), text(values, "continue")]);

  const weights = run.model.parameters().reduce((n, p) => n + p.size, 0);
  const info = run.session.info();
  say(`${run.card.data.name}: ${run.session.sizes.train} training examples, ${weights.toLocaleString("en-US")} weights, ${engine.backend} (${engine.variant})`);
  const saver = new Saver();
  // Ctrl-C, and SIGTERM from docker, systemd or timeout, stop after the batch and keep the work;
  // the handlers stay until the end, so a second signal during a save cannot cut a file short.
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    bar.clear();
    warn("stopping after this batch to save the work done (Ctrl-C again to quit at once)");
    run.session.stop();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    for (;;) {
      const status = await run.session.run(every ? { seconds: every } : {});
      if (status.state === "stopped" || status.state === "finished") break;
      if (every) saver.save(checkpointPath(out), run.checkpoint(), "the checkpoint");
    }
    bar.clear();
    return finish(run, out, saver, info.epoch, interrupted);
  } catch (e) {
    bar.clear();
    if (e instanceof GatedError && run.session.info().finished === "diverged") {
      warn(`gated: ${e.message}`);
      warn("gated: the model diverged; it was not saved (try a lower --lr or --clip-norm)");
      return 1;
    }
    throw e;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    bar.clear();
  }
}

/** After training: an interrupted run keeps a checkpoint and its best weights; a finished one is scored, then saved whatever the scoring does. */
function finish(run: PipelineRun, out: string, saver: Saver, firstEpoch: number, interrupted: boolean): number {
  if (interrupted) {
    const s = run.session.info();
    const checkpoint = saver.save(checkpointPath(out), run.checkpoint(), "the checkpoint");
    say(`interrupted at epoch ${s.epoch + 1}, batch ${s.batch}${checkpoint ? `; checkpoint saved to ${checkpoint}` : ""}`);
    const best = run.session.keepBest();
    say(best ? `the best weights so far are epoch ${best}'s:` : "the weights so far:");
    const model = saver.save(out, run.modelFile(), "the model");
    if (model) say(`saved ${model}`);
    const data = run.card.data.preset ? "" : ` --data ${run.card.data.name}`;
    if (checkpoint) say(`to go on: gated train --resume ${checkpoint}${data} --out ${out}`);
    return 130;
  }
  const status = run.session.info();
  say(`training ${status.finished === "early-stopping" ? "stopped early" : "completed"} after ${plural(status.epoch - firstEpoch, "epoch")}; best epoch ${status.bestEpoch}`);
  let evaluation: Evaluation | undefined;
  try {
    evaluation = run.evaluate();
    for (const line of evaluationLines(evaluation)) say(line);
  } catch (e) {
    if (!(e instanceof GatedError)) throw e;
    warn(`gated: the held-out evaluation failed (${e.message}); the model is saved all the same`);
  }
  const last = status.history.at(-1);
  const broken = [last?.trainLoss, last?.validationLoss, ...(evaluation && evaluation.count > 0 ? evaluation.metrics.map((m) => m.value) : [])].some((v) => v !== undefined && !Number.isFinite(v));
  if (broken) {
    warn("gated: the model diverged (a loss or metric is not finite); it was not saved (try a lower --lr or --clip-norm)");
    return 1;
  }
  const saved = saver.save(out, run.modelFile(evaluation), "the model");
  if (saved) say(`saved ${saved}`);
  run.dispose();
  return saved === out && evaluation ? 0 : 1;
}

/**
 * Writes what training made; where the target cannot be written now (the
 * disk filled up, a file-size limit), the work is not lost: it goes to a new
 * folder of the system's temporary one, and the message says where. Returns
 * the path written, or undefined when both failed.
 */
class Saver {
  private rescue?: string;

  save(path: string, bytes: Uint8Array, what: string): string | undefined {
    try {
      writeAtomically(path, bytes);
      return path;
    } catch (e) {
      let where = "";
      try {
        this.rescue ??= rescueFolder();
        where = join(this.rescue, basename(path));
        writeAtomically(where, bytes);
        warn(`gated: ${(e as Error).message}; ${what} was saved to ${where} instead`);
        return where;
      } catch (again) {
        warn(`gated: ${(e as Error).message}; saving ${what} to ${where || "the temporary folder"} failed too: ${(again as Error).message}`);
        return undefined;
      }
    }
  }
}

const bar = new ProgressBar();

function hooks(): RunHooks {
  return { onProgress: (p) => bar.update(p), onEpoch: (e) => bar.epoch(e) };
}

/** The pipeline options given on the command line, checked (the run fills in the defaults). */
function checked(pipeline: AnyPipeline, values: Values, what: string): Record<string, unknown> {
  const options = pipelineOptions(pipeline.options, values, what);
  const { problems } = checkOptions(pipeline.options, options);
  if (problems.length) throw new UsageError(problems.join("; "));
  return options;
}

const seedOf = (options: Record<string, unknown>) => (typeof options.seed === "number" ? options.seed : 1);

function presetSettings(values: Values): PresetSettings {
  const settings: PresetSettings = {
    dataset: choice(values, "dataset", ["uci", "imdb"] as const),
    limit: number(values, "limit", { integer: true, min: 10 }),
    pairs: number(values, "pairs", { integer: true, min: 20, max: PHRASE_POOL }),
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}

function refuse(values: Values, flags: string[], what: string): void {
  const given = flags.find((f) => values[f] !== undefined);
  if (given) throw new UsageError(`--${given} does not go with ${what}`);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

// A checkpoint: a training session saved so that it goes on exactly where it
// was. One safetensors file: the weights (model.*), the optimizer's buffers
// (optimizer.<buffer>.<parameter>), the best epoch's weights kept by early
// stopping (best.*), and in the metadata the model's config and card and the
// session's state (epoch, batch, generator states, schedule, history, …).
// Read with the same distrust as model files: everything is checked before
// anything is decoded or built.

import { GatedError } from "../errors.ts";
import { Checker, isPlainObject } from "../util/check.ts";
import type { ModelConfig } from "../models/create.ts";
import { modelShapes } from "../models/create.ts";
import type { Tensor } from "../tensor.ts";
import type { SavedState, SessionSnapshot } from "../training/run-state.ts";
import type { ModelCard } from "./card.ts";
import { checkEntries, readDescription } from "./model-file.ts";
import { asBytes, encodeSafetensors, readSafetensorsHeader, readTensors } from "./safetensors.ts";

const FORMAT = "gated-checkpoint";
const VERSION = "1";
const BUFFERS = ["momentum_buffer", "exp_avg", "exp_avg_sq", "square_avg", "grad_avg", "sum"];

export interface Checkpoint {
  config: ModelConfig;
  card: ModelCard | null;
  snapshot: SessionSnapshot;
  /** The options a pipeline made the run with (checked by the pipeline when it resumes). */
  options?: Record<string, unknown>;
  /** fingerprint() of the held-out items, so a resumed run is scored on the same ones. */
  heldOut?: string;
}

export function encodeCheckpoint({ config, card, snapshot, options, heldOut }: Checkpoint): Uint8Array {
  const tensors: Record<string, Tensor> = {};
  const put = (prefix: string, group: Record<string, Tensor>) => {
    for (const [name, t] of Object.entries(group)) tensors[`${prefix}.${name}`] = t;
  };
  put("model", snapshot.weights);
  put("optimizer", snapshot.optimizer);
  put("best", snapshot.best);
  return encodeSafetensors(tensors, {
    format: FORMAT,
    version: VERSION,
    config: JSON.stringify(config),
    ...(card ? { card: JSON.stringify(card) } : {}),
    session: JSON.stringify(snapshot.state),
    ...(options ? { options: JSON.stringify(options) } : {}),
    ...(heldOut ? { heldOut } : {}),
  });
}

export function decodeCheckpoint(input: Uint8Array | ArrayBuffer, source = "checkpoint"): Checkpoint {
  const bytes = asBytes(input, source);
  const header = readSafetensorsHeader(bytes, source);
  const { config, card } = readDescription(header.metadata, FORMAT, VERSION, source);
  let state: unknown;
  try {
    state = JSON.parse(header.metadata.session ?? "");
  } catch {
    throw new GatedError(`${source}: the session state in the metadata is missing or not valid JSON`);
  }
  checkState(state, source);
  const heldOut = header.metadata.heldOut;
  if (heldOut !== undefined && !/^[0-9a-f]{16}$/.test(heldOut)) throw new GatedError(`${source}: heldOut in the metadata must be a 16-digit fingerprint`);
  let options: Record<string, unknown> | undefined;
  if (header.metadata.options !== undefined) {
    try {
      options = JSON.parse(header.metadata.options);
    } catch {
      throw new GatedError(`${source}: the options in the metadata are not valid JSON`);
    }
    if (!options || typeof options !== "object" || Array.isArray(options)) throw new GatedError(`${source}: the options in the metadata are not an object`);
  }
  const shapes = modelShapes(config);
  const byName = new Map(shapes);
  checkEntries(header.entries, shapes, source, "model.");
  const best = header.entries.filter((e) => e.name.startsWith("best."));
  if (best.length) checkEntries(header.entries, shapes, source, "best.");
  for (const e of header.entries) {
    if (e.name.startsWith("model.") || e.name.startsWith("best.")) continue;
    const [group, buffer, ...rest] = e.name.split(".");
    const param = rest.join(".");
    const shape = byName.get(param);
    if (group !== "optimizer" || !BUFFERS.includes(buffer) || !shape) throw new GatedError(`${source}: unknown tensor ${e.name.slice(0, 200)}`);
    if (shape.join() !== e.shape.join()) throw new GatedError(`${source}: ${e.name} has shape [${e.shape.join(", ")}], expected [${shape.join(", ")}]`);
  }
  const tensors = readTensors(bytes, header);
  const group = (prefix: string) =>
    Object.fromEntries(Object.entries(tensors).filter(([n]) => n.startsWith(`${prefix}.`)).map(([n, t]) => [n.slice(prefix.length + 1), t]));
  return { config, card, snapshot: { state, weights: group("model"), optimizer: group("optimizer"), best: group("best") }, ...(options ? { options } : {}), ...(heldOut !== undefined ? { heldOut } : {}) };
}

/** The session state's shape and ranges (the session and optimizer check the settings themselves). */
function checkState(s: unknown, source: string): asserts s is SavedState {
  const check = new Checker(`${source}: the session state is not valid`);
  if (!isPlainObject(s)) return check.fail("not an object");
  if (!isPlainObject(s.settings)) check.fail("settings are missing");
  check.count(s.progressInterval, "progressInterval");
  check.count(s.epoch, "epoch");
  check.count(s.batch, "batch");
  check.count(s.steps, "steps");
  if (!Array.isArray(s.rng) || s.rng.length !== 4) check.fail("rng must be four numbers");
  (s.rng as unknown[]).forEach((w, i) => check.count(w, `rng[${i}]`));
  check.count(s.dropoutRng, "dropoutRng");
  if (!isPlainObject(s.epochTotals)) return check.fail("epochTotals are missing");
  for (const k of ["lossSum", "lossCount", "correct", "counted", "sequences", "seconds"]) check.finite(s.epochTotals[k], `epochTotals.${k}`);
  if (!isPlainObject(s.optimizer)) return check.fail("optimizer is missing");
  check.count(s.optimizer.steps, "optimizer.steps");
  check.finite(s.optimizer.lr, "optimizer.lr");
  if (!isPlainObject(s.scheduler)) check.fail("scheduler is missing");
  if (!isPlainObject(s.early)) return check.fail("early is missing");
  if (s.early.bestLoss !== null) check.finite(s.early.bestLoss, "early.bestLoss");
  check.count(s.early.bestEpoch, "early.bestEpoch");
  check.count(s.early.stale, "early.stale");
  if (!Array.isArray(s.history) || s.history.length > 100000) return check.fail("history must be a list of epoch reports");
  s.history.forEach((h, i) => {
    if (!isPlainObject(h) || !isPlainObject(h.metrics)) return check.fail(`history[${i}] is not an epoch report`);
    // JSON writes an infinite perplexity as null.
    for (const [k, v] of Object.entries(h)) if (k !== "metrics" && v !== null) check.finite(v, `history[${i}].${k}`);
    for (const [k, v] of Object.entries(h.metrics)) if (v !== null) check.finite(v, `history[${i}].metrics.${k}`);
  });
  if (s.finished !== null && !["completed", "early-stopping", "diverged"].includes(s.finished as string)) check.fail(`finished is ${JSON.stringify(s.finished)}`);
  if (typeof s.data !== "string" || s.data.length > 64) check.fail("data must be the examples' fingerprint");
}

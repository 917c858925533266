// gated export: a model as ONNX graphs with their JSON description, or a
// model or checkpoint as a directory PyTorch runs (predict.py, train.py).

import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Engine } from "../lib/engine.ts";
import { GatedError } from "../lib/errors.ts";
import { exportOnnx } from "../lib/export/onnx/export.ts";
import { exportPytorch } from "../lib/export/pytorch/export.ts";
import { decodeCheckpoint } from "../lib/persist/checkpoint.ts";
import { loadModel } from "../lib/persist/model-file.ts";
import { choice, text, UsageError, type Values } from "./args.ts";
import { checkWritable, readBytes, writeAtomically } from "./files.ts";
import { say } from "./print.ts";

export async function exportCommand(engineFor: (seed: number) => Promise<Engine>, values: Values): Promise<void> {
  const format = choice(values, "format", ["onnx", "pytorch"] as const);
  if (!format) throw new UsageError("--format onnx|pytorch is required");
  const out = text(values, "out");
  if (!out) throw new UsageError(`--out ${format === "onnx" ? "FILE.onnx" : "DIR"} is required`);
  const modelPath = text(values, "model");
  const checkpointPath = text(values, "checkpoint");
  if (!!modelPath === !!checkpointPath) throw new UsageError("give --model FILE or --checkpoint FILE (one of them)");
  if (format === "onnx") {
    if (!modelPath) throw new UsageError("ONNX holds a model for inference: give --model FILE (a checkpoint's training state has no ONNX form)");
    const loaded = loadModel(await engineFor(1), readBytes(modelPath, "the model file "), modelPath);
    const writes = Object.entries(exportOnnx(loaded, out).files);
    for (const [path] of writes) checkWritable(path, [modelPath]);
    for (const [path, bytes] of writes) writeAtomically(path, bytes);
    for (const [path] of writes) say(path);
    return;
  }
  const files = modelPath
    ? exportPytorch({ model: loadModel(await engineFor(1), readBytes(modelPath, "the model file "), modelPath) })
    : exportPytorch({ checkpoint: decodeCheckpoint(readBytes(checkpointPath!, "the checkpoint "), checkpointPath) });
  prepareFolder(out, Object.keys(files));
  for (const [name, bytes] of Object.entries(files)) writeAtomically(join(out, name), bytes);
  say(`${out}/ (${Object.keys(files).join(", ")})`);
}

/** A new folder, or one that holds nothing but an earlier export's files (which are replaced). */
function prepareFolder(dir: string, names: string[]): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new GatedError(`cannot write ${dir}: it is a file; --out names a folder for a PyTorch export`);
    const others = readdirSync(dir).filter((f) => !names.includes(f) && f !== "__pycache__" && f !== "optimizer.safetensors");
    if (others.length) throw new GatedError(`cannot write ${dir}: it holds other files (${others.slice(0, 3).join(", ")}); choose a new folder`);
  } else {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new GatedError(`cannot make the folder ${dir}: ${(e as Error).message}`);
    }
  }
  checkWritable(join(dir, names[0]));
}

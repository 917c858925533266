// A model, or a training session, as a directory PyTorch runs with nothing
// else installed: model.py (the architecture as torch.nn modules, Gated's
// tokenizer, a safetensors reader and writer), predict.py, train.py
// (one process or many under torchrun), the weights as a Gated model file,
// and training.json with the task's training settings — the checkpoint's,
// with the optimizer's state in optimizer.safetensors, or the task's defaults.

import { GatedError } from "../../errors.ts";
import type { ModelConfig } from "../../models/create.ts";
import type { Checkpoint } from "../../persist/checkpoint.ts";
import type { ModelCard } from "../../persist/card.ts";
import { encodeModelFile, type LoadedModel, saveModel } from "../../persist/model-file.ts";
import { encodeSafetensors } from "../../persist/safetensors.ts";
import { resolveRunOptions } from "../../pipelines/options.ts";
import { trainSettings } from "../../pipelines/pipeline.ts";
import { pipelineFor } from "../../pipelines/registry.ts";
import { PYTHON_SOURCES } from "./sources.ts";

const text = (s: string) => new TextEncoder().encode(s);

/** The directory's files by name. */
export function exportPytorch(from: { model: LoadedModel } | { checkpoint: Checkpoint }): Record<string, Uint8Array> {
  const { config, card } = "model" in from ? from.model : from.checkpoint;
  if (!card) throw new GatedError("a bare recurrent layer has no card: export a model trained by a pipeline");
  checkTorchForm(config);
  let training: Record<string, unknown>;
  const files: Record<string, Uint8Array> = {};
  if ("model" in from) {
    files["model.safetensors"] = saveModel(from.model.model, card);
    // A model file keeps no training settings: the task's defaults, as a fresh run would use.
    const pipeline = pipelineFor(card.kind);
    const options = resolveRunOptions(pipeline.options, {});
    training = { from: "model", settings: trainSettings(options, false), options };
  } else {
    const { snapshot, options } = from.checkpoint;
    files["model.safetensors"] = encodeModelFile(config, snapshot.weights, card);
    files["optimizer.safetensors"] = encodeSafetensors(snapshot.optimizer, { format: "gated-optimizer" });
    training = { from: "checkpoint", settings: snapshot.state.settings, optimizerState: snapshot.state.optimizer, ...(options ? { options } : {}), epochsDone: snapshot.state.epoch };
  }
  files["training.json"] = text(`${JSON.stringify(training, null, 2)}\n`);
  for (const [name, source] of Object.entries(PYTHON_SOURCES)) files[name] = text(source);
  files["README.txt"] = text(readme(card));
  return files;
}

/** Refuses what torch.nn has no layer for, before anything is written. */
function checkTorchForm(config: ModelConfig): void {
  const encoders = config.type === "seq2seq" ? [config.encoder] : config.type === "generator" ? [config.decoder] : config.type === "recurrent" ? [] : [config];
  if (encoders.some((e) => e.cell === "gru" && e.resetAfter === false)) {
    throw new GatedError("this GRU computes its candidate as W_hn (r ⊙ h) (resetAfter: false); torch.nn.GRU has only the other form (its weights load, its outputs would differ), so it is not exported to PyTorch — ONNX has both");
  }
}

function readme(card: ModelCard): string {
  const use: Record<ModelCard["kind"], string> = {
    classifier: 'python predict.py "a text" "another"      one JSON line per text, as gated predict --json',
    "language-model": "python predict.py -n 5                  samples; --score TEXT... the loss of texts",
    forecaster: "python predict.py --steps 12            the next values of the series",
    generator: `python predict.py --condition ${JSON.stringify(card.kind === "generator" ? card.conditions[0] : "")} -n 5`,
    translator: 'python predict.py "a sentence"            greedy translation',
  };
  return [
    `A Gated ${card.kind}, exported to PyTorch. Needs only PyTorch (1.13 or later).`,
    "",
    `  ${use[card.kind]}`,
    "  python train.py --data FILE --epochs 3 --out trained.safetensors",
    "  torchrun --nproc_per_node=4 train.py --data FILE --epochs 3 --out trained.safetensors",
    "  torchrun --nnodes=2 --node_rank=0 --nproc_per_node=8 --rdzv_backend=c10d --rdzv_endpoint=HOST:29500 train.py --data FILE   (node 0; node_rank=1 on the other)",
    "",
    "trained.safetensors is a Gated model file: gated predict --model trained.safetensors, or import it on the playground's Models page.",
    "training.json holds the optimizer and its settings; optimizer.safetensors (exported from a checkpoint) its state, so training goes on where it stopped.",
    "",
  ].join("\n");
}

// What the Models page says about a model file: which page uses it, and how
// to load it into PyTorch or use it with the command line (read from the
// file's header only: the config in its metadata).

import { readSafetensorsHeader } from "../../lib/persist/safetensors.ts";
import { recurrentPartOf } from "../../lib/persist/architecture.ts";
import type { ModelConfig } from "../../lib/worker/service.ts";
import type { CardScores } from "../../lib/persist/card.ts";
import { format } from "./i18n/messages.ts";
import type { Language } from "./i18n/language.ts";
import { isPipelineKind, type PipelineKind } from "../../lib/pipelines/kind.ts";
import { SPECS } from "../../lib/pipelines/specs.ts";
import type { Page } from "./router.svelte.ts";

const PAGES: Partial<Record<PipelineKind, { id: Page; title: string }>> = {
  classifier: { id: "sentiment", title: "Sentiment" },
  translator: { id: "translation", title: "Translation" },
  "language-model": { id: "names", title: "Names" },
  forecaster: { id: "series", title: "Time series" },
};

/** The page that trains and uses models of this kind, if the playground has one. */
export const pageOf = (kind: PipelineKind) => PAGES[kind];

const TORCH: Record<string, string> = { rnn: "RNN", lstm: "LSTM", gru: "GRU" };

/** An entry of the file's metadata as JSON, from its header alone; null when it cannot be read. */
function metadataOf<T>(bytes: Uint8Array, file: string, key: "config" | "card"): T | null {
  try {
    return JSON.parse(readSafetensorsHeader(bytes, file).metadata[key]);
  } catch {
    return null;
  }
}

const configOf = (bytes: Uint8Array, file: string) => metadataOf<ModelConfig>(bytes, file, "config");

/** The held-out scores a model file carries in its card (a file written by Gated after scoring), for a file imported here too. */
export function scoresOf(bytes: Uint8Array): CardScores | null {
  return metadataOf<{ scores?: CardScores }>(bytes, "model", "card")?.scores ?? null;
}

/** The recurrent network of a model file in a few words ("bidirectional LSTM, 2 layers of 64 units"), so that two models can be told apart. */
export function architectureOf(bytes: Uint8Array, language: Language = "en"): string {
  const config = configOf(bytes, "model");
  const found = config && recurrentPartOf(config);
  if (!found) return "";
  const { cell, hiddenSize, numLayers, bidirectional } = found.encoder;
  const name = bidirectional ? format(language, "arch.bidirectional", { cell: TORCH[cell] }) : TORCH[cell];
  return `${name}, ${numLayers === 1 ? format(language, "arch.units", { units: hiddenSize }) : format(language, "arch.layers", { n: numLayers, units: hiddenSize })}`;
}

export function pytorchSnippet(bytes: Uint8Array, name: string): string {
  const file = `${name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "model"}.safetensors`;
  const config = configOf(bytes, file);
  if (!config) return "(this file's header could not be read)";
  const found = recurrentPartOf(config);
  const kind = metadataOf<{ kind?: unknown }>(bytes, file, "card")?.kind;
  const stem = file.replace(/\.safetensors$/, "");
  const cli = isPipelineKind(kind)
    ? `# With the command line:\nnpx gated ${SPECS[kind].commandLine.replace("FILE", file)}\n`
      + `# The whole model for ONNX Runtime, or for PyTorch to predict and train on (also the buttons above):\n`
      + `npx gated export --model ${file} --format onnx --out ${stem}.onnx\nnpx gated export --model ${file} --format pytorch --out ${stem}-pytorch\n`
    : "";
  if (!found) return cli;
  const { encoder: e, prefix } = found;
  const input = "features" in e.input ? e.input.features : e.input.embeddingDim;
  return `${cli}
# In PyTorch (pip install safetensors): the recurrent layers, as torch.nn has them
import torch
from safetensors.torch import load_file

state = load_file("${file}")
rnn = torch.nn.${TORCH[e.cell]}(input_size=${input}, hidden_size=${e.hiddenSize}, num_layers=${e.numLayers}, bidirectional=${e.bidirectional ? "True" : "False"}${e.cell === "rnn" ? `, nonlinearity="${e.nonlinearity ?? "tanh"}"` : ""})
rnn.load_state_dict({k.removeprefix("${prefix}"): v for k, v in state.items() if k.startswith("${prefix}")})
`;
}

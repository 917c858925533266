// A model as ONNX: its graphs (one, or two for the families that start from
// something else: a generator's condition, a translator's source) and a JSON
// description of what a caller needs to make the inputs and read the outputs
// (the graphs' inputs and outputs, the tokenizer, vocabularies, labels,
// the forecaster's scaling — the model card).

import { GatedError } from "../../errors.ts";
import type { LoadedModel } from "../../persist/model-file.ts";
import type { ModelCard } from "../../persist/card.ts";
import type { ClassifierConfig } from "../../models/classifier.ts";
import type { GeneratorConfig } from "../../models/generator.ts";
import type { Seq2SeqConfig } from "../../models/seq2seq.ts";
import type { TaggerConfig } from "../../models/tagger.ts";
import type { Tensor } from "../../tensor.ts";
import { BOS, EOS, PAD, UNK } from "../../text/vocab.ts";
import { GATED_VERSION } from "../../version.ts";
import { classifierGraph, generatorGraphs, taggerGraph, translatorGraphs } from "./families.ts";
import { FLOAT, type Graph, INT64, OPSET, type ValueInfo } from "./graph.ts";

export interface OnnxExport {
  /** Each graph's ONNX bytes by part: "model", or "start"/"encoder" and "decoder". */
  graphs: Record<string, Uint8Array>;
  /** What a caller needs besides the graphs. */
  description: OnnxDescription;
  /** What to write, by path: `out` (or NAME.PART.onnx for several graphs) and NAME.json, the description. */
  files: Record<string, Uint8Array>;
}

export interface OnnxDescription {
  format: "gated-onnx";
  version: 1;
  kind: ModelCard["kind"];
  opset: number;
  graphs: Record<string, { file: string; inputs: DescribedValue[]; outputs: DescribedValue[] }>;
  specialTokens: { pad: number; unknown: number; start: number; end: number };
  /** How texts become tokens (where the model reads text). */
  tokenization?: string;
  /** How to run it, step by step. */
  usage: string[];
  card: ModelCard;
}

interface DescribedValue {
  name: string;
  type: "float32" | "int64" | "int32";
  shape: (number | string)[];
  about: string;
}

const TOKENIZATION = "Unicode NFC; anything in <…> (up to 40 characters) becomes a space; runs of whitespace become one space; trimmed; lowercased when tokenizer.lowercase. "
  + "char: each code point is a token. word: a letter followed by letters, combining marks and apostrophes (' ’), a single digit, or any other single non-space character. "
  + "At most maxTokens tokens; a token not in the vocabulary is id 1 (<unk>); an empty text is one <unk>.";

const USAGE: Record<ModelCard["kind"], string[]> = {
  classifier: ["tokens: the text's token ids (padded with 0), lengths: their counts", "probabilities[b] lists card.labels' probabilities"],
  "language-model": [
    "h0 (and c0) zeros [layers, 1, hidden]; tokens [[2]] (<s>), lengths [1]",
    "draw the next token from probabilities[0][last]; stop at 3 (</s>); feed it as tokens [[id]] with h0 = hN (c0 = cN)",
  ],
  forecaster: [
    "z_k = (x_{k+1} − x_k − card.mean) / card.std for the last card.window changes; features [[z…]] (shape [1, window, 1]), h0 zeros",
    "the next value is x_last + predictions[0][last][0] · card.std + card.mean; feed that prediction as features [[[p]]] with h0 = hN for the step after",
  ],
  generator: [
    "start: condition [1, conditions] (one-hot of a card.conditions entry) gives h0 (and c0)",
    "decoder: tokens [[2]] (<s>), lengths [1], h0 (c0); draw from probabilities[0][0]; stop at 3 (</s>); feed the token back with h0 = hN",
  ],
  translator: [
    "encoder: the source's tokens (card.sourceVocab) and lengths give memory, h0 (and c0)",
    "decoder: tokens [[2]] (<s>), lengths [1], h0 (c0), memory, source_lengths; the next token is the argmax of probabilities[0][0] (greedy) in card.targetVocab; stop at 3 (</s>); feed it back with h0 = hN (c0 = cN)",
  ],
};

/** The model's graphs and their description; file names derive from `out` (see onnxFiles). */
export function exportOnnx({ model, config, card }: LoadedModel, out = "model.onnx"): OnnxExport {
  if (!card) throw new GatedError("a bare recurrent layer has no card: export a model trained by a pipeline (it says what the inputs are)");
  const state = model.stateDict();
  const w = (name: string): Tensor => {
    const t = state[name];
    if (!t) throw new GatedError(`ONNX export: the model has no weight ${name}`);
    return t;
  };
  let graphs: Record<string, Graph>;
  switch (card.kind) {
    case "classifier":
      graphs = { model: classifierGraph(config as ClassifierConfig, w, card.labels.length) };
      break;
    case "language-model":
    case "forecaster":
      graphs = { model: taggerGraph(config as TaggerConfig, w) };
      break;
    case "generator":
      graphs = generatorGraphs(config as GeneratorConfig, w);
      break;
    case "translator":
      graphs = translatorGraphs(config as Seq2SeqConfig, w);
      break;
  }
  const paths = onnxFiles(out, Object.keys(graphs));
  const base = (path: string) => path.split(/[\\/]/).pop()!;
  const bytes = Object.fromEntries(Object.entries(graphs).map(([part, g]) => [part, g.encode(GATED_VERSION, { "gated.kind": card.kind, "gated.description": base(paths.description) })]));
  const description: OnnxDescription = {
      format: "gated-onnx",
      version: 1,
      kind: card.kind,
      opset: OPSET,
    graphs: Object.fromEntries(Object.entries(graphs).map(([part, g]) => [part, { file: base(paths.graphs[part]), inputs: g.inputs.map(describe), outputs: g.outputs.map(describe) }])),
    specialTokens: { pad: PAD, unknown: UNK, start: BOS, end: EOS },
    ...("tokenizer" in card ? { tokenization: TOKENIZATION } : {}),
    usage: USAGE[card.kind],
    card,
  };
  return {
    graphs: bytes,
    description,
    files: {
      ...Object.fromEntries(Object.entries(bytes).map(([part, b]) => [paths.graphs[part], b])),
      [paths.description]: new TextEncoder().encode(`${JSON.stringify(description, null, 2)}\n`),
    },
  };
}

/** Where each part goes: `out` for a single graph, `NAME.PART.onnx` for several; the description at `NAME.json`. */
function onnxFiles(out: string, parts: string[]): { graphs: Record<string, string>; description: string } {
  const stem = out.replace(/\.onnx$/i, "");
  return {
    graphs: Object.fromEntries(parts.map((p) => [p, parts.length === 1 ? (out === stem ? `${stem}.onnx` : out) : `${stem}.${p}.onnx`])),
    description: `${stem}.json`,
  };
}

function describe(v: ValueInfo): DescribedValue {
  return { name: v.name, type: v.type === FLOAT ? "float32" : v.type === INT64 ? "int64" : "int32", shape: v.dims, about: v.about };
}

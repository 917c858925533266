// Each model family as ONNX graphs with named inputs and outputs (documented
// in each value's doc string and in the export's JSON description):
//   classifier:      tokens, lengths → probabilities
//   language model:  tokens, lengths, h0 (, c0) → probabilities, hN (, cN)
//   forecaster:      features, lengths, h0 (, c0) → predictions, hN (, cN)
//   generator:       start: condition → h0 (, c0); decoder: as a language model
//   translator:      encoder: tokens, lengths → memory, h0 (, c0);
//                    decoder: tokens, lengths, h0 (, c0), memory, source_lengths → probabilities, attention, hN (, cN)
// Decoders carry their state in and out, so a caller generates one token per run.

import type { ClassifierConfig } from "../../models/classifier.ts";
import { Encoder, type EncoderConfig } from "../../models/encoder.ts";
import type { GeneratorConfig } from "../../models/generator.ts";
import type { Seq2SeqConfig } from "../../models/seq2seq.ts";
import type { TaggerConfig } from "../../models/tagger.ts";
import { encoder, linear, matmulT, validSteps, type Weights } from "./encoder.ts";
import { type Dim, FLOAT, Graph, INT64, type ValueInfo } from "./graph.ts";

const tokensInfo = (about = "token ids, batch-first, padded: values past a sequence's length are never read"): ValueInfo => ({ name: "tokens", type: INT64, dims: ["batch", "time"], about });
const lengthsInfo = (name = "lengths", of = "sequence"): ValueInfo => ({ name, type: INT64, dims: ["batch"], about: `each ${of}'s length in steps, 1 to its padded length` });

/** The initial and final states of a stack (h, and c for an LSTM). */
function stateInfos(c: EncoderConfig, layers: number, width: number): { inputs: ValueInfo[]; outputs: ValueInfo[] } {
  const dims: Dim[] = [layers, "batch", width];
  const names = c.cell === "lstm" ? ["h", "c"] : ["h"];
  return {
    inputs: names.map((s) => ({ name: `${s}0`, type: FLOAT, dims, about: `the recurrent ${s === "h" ? "state" : "cell state"} to start from, [layers, batch, hidden] (zeros to start afresh)` })),
    outputs: names.map((s) => ({ name: `${s}N`, type: FLOAT, dims, about: `the ${s === "h" ? "state" : "cell state"} after each sequence's last step, to pass as ${s}0 to the next run` })),
  };
}

/** The classifier: probabilities over the card's labels (two columns for a one-logit binary model). */
export function classifierGraph(c: ClassifierConfig, w: Weights, labels: number): Graph {
  const g = new Graph("gated_classifier");
  const tokens = g.input(tokensInfo());
  const lengths = g.input(lengthsInfo());
  const enc = encoder(g, c, w, "encoder", { tokens }, lengths);
  let pooled: string;
  if (c.pooling === "last") pooled = enc.finals.h[c.numLayers - 1];
  else if (c.pooling === "mean") {
    const steps = g.op("Unsqueeze", [g.op("Cast", [lengths], { to: FLOAT }), g.ints([1])]);
    pooled = g.op("Div", [g.op("ReduceSum", [enc.outputs, g.ints([0])], { keepdims: 0 }), steps]);
  } else {
    pooled = g.op("ReduceMax", [g.op("Where", [enc.valid, enc.outputs, g.scalar(-3.4e38)])], { axes: [0], keepdims: 0 });
  }
  const logits = linear(g, pooled, w, "head");
  let probabilities: string;
  if (c.classes === 1) {
    const p = g.op("Sigmoid", [logits]);
    probabilities = g.op("Concat", [g.op("Sub", [g.scalar(1), p]), p], { axis: 1 });
  } else probabilities = g.op("Softmax", [logits], { axis: -1 });
  g.output(probabilities, { name: "probabilities", type: FLOAT, dims: ["batch", labels], about: "each label's probability, in the order of the labels in the JSON description" });
  return g;
}

/**
 * A stack that reads a sequence from a given state and predicts at every
 * step (language models, forecasters, generators' decoders): its outputs
 * through the head, softmaxed for a softmax head.
 */
function steppingGraph(name: string, c: EncoderConfig, head: TaggerConfig["head"], outputs: number, w: Weights, prefix: { encoder: string; head: string }): Graph {
  const g = new Graph(name);
  const input = "features" in c.input
    ? { features: g.input({ name: "features", type: FLOAT, dims: ["batch", "time", c.input.features], about: "each step's values (standardised as the JSON description says), batch-first" }) }
    : { tokens: g.input(tokensInfo()) };
  const lengths = g.input(lengthsInfo());
  const states = stateInfos(c, c.numLayers * (c.bidirectional ? 2 : 1), c.hiddenSize);
  const [h0, c0] = states.inputs.map((s) => g.input(s));
  const enc = encoder(g, c, w, prefix.encoder, input, lengths, { h0, c0 });
  const y = linear(g, g.op("Transpose", [enc.outputs], { perm: [1, 0, 2] }), w, prefix.head);
  if (head === "softmax") {
    g.output(g.op("Softmax", [y], { axis: -1 }), { name: "probabilities", type: FLOAT, dims: ["batch", "time", outputs], about: "at each step, the probability of each next token (vocabulary order); meaningless past a sequence's length" });
  } else {
    g.output(y, { name: "predictions", type: FLOAT, dims: ["batch", "time", outputs], about: "at each step, the prediction of the next step's values (standardised); meaningless past a sequence's length" });
  }
  g.output(enc.hN, states.outputs[0]);
  if (enc.cN) g.output(enc.cN, states.outputs[1]);
  return g;
}

export function taggerGraph(c: TaggerConfig, w: Weights): Graph {
  return steppingGraph(c.head === "softmax" ? "gated_language_model" : "gated_forecaster", c, c.head, c.outputs, w, { encoder: "encoder", head: "head" });
}

/** A generator: a start graph (condition → initial states) and its decoder. */
export function generatorGraphs(c: GeneratorConfig, w: Weights): { start: Graph; decoder: Graph } {
  const d = c.decoder;
  const { hiddenSize: H, numLayers: L } = d;
  const g = new Graph("gated_generator_start");
  const condition = g.input({ name: "condition", type: FLOAT, dims: ["batch", c.conditionSize], about: "what to generate, one value per condition of the JSON description (one-hot for one label)" });
  // The bridge's rows hold every layer's state side by side: [B, L·H] → [L, B, H].
  const bridged = linear(g, condition, w, "bridge", "tanh");
  const h0 = g.op("Transpose", [g.op("Reshape", [bridged, g.ints([0, L, H])])], { perm: [1, 0, 2] });
  const states = stateInfos(d, L, H);
  g.output(h0, { ...states.inputs[0], name: "h0", about: "the decoder's first state, [layers, batch, hidden]" });
  if (d.cell === "lstm") g.output(g.op("Mul", [h0, g.scalar(0)]), { ...states.inputs[1], name: "c0", about: "the decoder's first cell state (zeros)" });
  const V = (d.input as { vocabSize: number }).vocabSize;
  return { start: g, decoder: steppingGraph("gated_generator_decoder", d, "softmax", V, w, { encoder: "decoder", head: "head" }) };
}

/** A translator: the encoder (source → memory and the decoder's first states) and one decoder run with attention. */
export function translatorGraphs(c: Seq2SeqConfig, w: Weights): { encoder: Graph; decoder: Graph } {
  const e = c.encoder;
  const Hd = Encoder.widthOf(e);
  const L = e.numLayers;
  const lstm = e.cell === "lstm";
  const memoryInfo: ValueInfo = { name: "memory", type: FLOAT, dims: ["batch", "source_time", Hd], about: "the encoder's outputs, batch-first, zero past each source's length" };
  const dec: EncoderConfig = { ...e, input: { vocabSize: c.targetVocabSize, embeddingDim: c.targetEmbeddingDim }, hiddenSize: Hd, bidirectional: false };
  const states = stateInfos(dec, L, Hd);

  const eg = new Graph("gated_translator_encoder");
  const tokens = eg.input(tokensInfo("source token ids, batch-first, padded"));
  const lengths = eg.input(lengthsInfo("lengths", "source"));
  const enc = encoder(eg, e, w, "encoder", { tokens }, lengths);
  eg.output(eg.op("Transpose", [enc.outputs], { perm: [1, 0, 2] }), memoryInfo);
  const stack = (rows: string[]) => (rows.length === 1 ? eg.op("Unsqueeze", [rows[0], eg.ints([0])]) : eg.op("Concat", rows.map((r) => eg.op("Unsqueeze", [r, eg.ints([0])])), { axis: 0 }));
  eg.output(stack(enc.finals.h), { ...states.inputs[0], about: "the decoder's first state: each encoder layer's final states, directions merged" });
  if (lstm) eg.output(stack(enc.finals.c), { ...states.inputs[1], about: "the decoder's first cell state" });

  const g = new Graph("gated_translator_decoder");
  const target = g.input(tokensInfo("target token ids read so far (start with the start token <s>), batch-first"));
  const tlengths = g.input(lengthsInfo());
  const [h0, c0] = states.inputs.map((s) => g.input(s));
  const memory = g.input(memoryInfo);
  const sourceLengths = g.input(lengthsInfo("source_lengths", "source"));
  const d = encoder(g, dec, w, "decoder", { tokens: target }, tlengths, { h0, c0 });
  let hidden = g.op("Transpose", [d.outputs], { perm: [1, 0, 2] }); // [B, T, Hd]
  let attention: string | null = null;
  if (c.attention !== "none") {
    const keys = c.attention === "general" ? matmulT(g, memory, w, "attention.weight") : memory;
    let scores: string;
    if (c.attention === "additive") {
      const pq = g.op("Unsqueeze", [matmulT(g, hidden, w, "attention.query_weight"), g.ints([2])]); // [B, T, 1, A]
      const pk = g.op("Unsqueeze", [matmulT(g, memory, w, "attention.key_weight"), g.ints([1])]); // [B, 1, Ts, A]
      const v = w("attention.v");
      scores = g.op("Squeeze", [g.op("MatMul", [g.op("Tanh", [g.op("Add", [pq, pk])]), g.initializer("attention.v", [v.shape[0], 1], v.data)]), g.ints([3])]);
    } else {
      scores = g.op("MatMul", [hidden, g.op("Transpose", [keys], { perm: [0, 2, 1] })]); // [B, T, Ts]
    }
    // Only each source's real steps are attended to.
    const inSource = g.op("Unsqueeze", [validSteps(g, memory, sourceLengths), g.ints([1])]); // [B, 1, Ts]
    attention = g.op("Softmax", [g.op("Where", [inSource, scores, g.scalar(-3.4e38)])], { axis: -1 });
    const context = g.op("MatMul", [attention, memory]); // [B, T, Hd]
    hidden = linear(g, g.op("Concat", [context, hidden], { axis: -1 }), w, "combine", "tanh");
  }
  const probabilities = g.op("Softmax", [linear(g, hidden, w, "head")], { axis: -1 });
  g.output(probabilities, { name: "probabilities", type: FLOAT, dims: ["batch", "time", c.targetVocabSize], about: "at each step, the probability of each next target token (target vocabulary order)" });
  if (attention) g.output(attention, { name: "attention", type: FLOAT, dims: ["batch", "time", "source_time"], about: "at each step, the attention weights over the source's steps" });
  g.output(d.hN, states.outputs[0]);
  if (d.cN) g.output(d.cN, states.outputs[1]);
  return { encoder: eg, decoder: g };
}

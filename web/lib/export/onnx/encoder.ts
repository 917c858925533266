// The encoder (embedding or features, a stack of ONNX LSTM / GRU / RNN
// operators with sequence_lens, the directions' merge) as graph nodes. Gate
// blocks are reordered from PyTorch's (LSTM i f g o, GRU r z n) to ONNX's
// (i o f c, z r h); each layer's biases are [W_b; R_b] per direction.

import type { EncoderConfig } from "../../models/encoder.ts";
import type { MergeMode } from "../../layers/merge.ts";
import type { Tensor } from "../../tensor.ts";
import { type Graph, INT32 } from "./graph.ts";

/** A model's weights by state-dict name. */
export type Weights = (name: string) => Tensor;

/** ONNX gate block k is PyTorch's block ORDER[k]. */
const ORDER = { lstm: [0, 3, 1, 2], gru: [1, 0, 2], rnn: [0] } as const;
const OP = { lstm: "LSTM", gru: "GRU", rnn: "RNN" } as const;

export interface EncodedGraph {
  /** Merged outputs, time-major [T, B, width], zero past each length. */
  outputs: string;
  /** Each layer's final state, its directions merged: [B, width]. */
  finals: { h: string[]; c: string[] };
  /** Final states as the layer keeps them, [layers·directions, B, H]. */
  hN: string;
  cN?: string;
  /** bool [T, B, 1]: the step is inside the sequence. */
  valid: string;
}

/** Steps 0..T−1 of each sequence that are inside its length: bool [B, T], T read from `sequences` ([B, T, …]). */
export function validSteps(g: Graph, sequences: string, lengths: string): string {
  const T = g.op("Gather", [g.op("Shape", [sequences]), g.ints([1], [])], { axis: 0 });
  const steps = g.op("Range", [g.ints([0], []), T, g.ints([1], [])]);
  return g.op("Less", [g.op("Unsqueeze", [steps, g.ints([0])]), g.op("Unsqueeze", [lengths, g.ints([1])])]);
}

/** x·Wᵀ for the weight W [out, in] of that name (stored transposed). */
export function matmulT(g: Graph, x: string, w: Weights, name: string): string {
  const W = w(name);
  const [out, inp] = W.shape;
  const WT = new Float32Array(out * inp);
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) WT[i * out + o] = W.data[o * inp + i];
  return g.op("MatMul", [x, g.initializer(`${name}_t`, [inp, out], WT)]);
}

/** x·Wᵀ + b over the last axis (torch.nn.Linear), with an optional tanh. */
export function linear(g: Graph, x: string, w: Weights, prefix: string, activation?: "tanh"): string {
  const b = w(`${prefix}.bias`);
  const y = g.op("Add", [matmulT(g, x, w, `${prefix}.weight`), g.initializer(`${prefix}.bias`, b.shape, b.data)]);
  return activation === "tanh" ? g.op("Tanh", [y]) : y;
}

/** Combines [forward; reverse] halves (H each) of the last axis. */
export function merge(g: Graph, x: string, H: number, mode: MergeMode): string {
  if (mode === "concat") return x;
  const half = (from: number) => g.op("Slice", [x, g.ints([from]), g.ints([from + H]), g.ints([-1])]);
  const [a, b] = [half(0), half(H)];
  if (mode === "mul") return g.op("Mul", [a, b]);
  const sum = g.op("Add", [a, b]);
  return mode === "mean" ? g.op("Mul", [sum, g.scalar(0.5)]) : sum;
}

/**
 * The encoder over `tokens` (int64 [B, T]) or `features` (float [B, T, F]),
 * starting from `h0`/`c0` ([layers·directions, B, H]) when given.
 */
export function encoder(
  g: Graph, c: EncoderConfig, w: Weights, prefix: string,
  input: { tokens: string } | { features: string }, lengths: string, state: { h0?: string; c0?: string } = {},
): EncodedGraph {
  const H = c.hiddenSize;
  const D = c.bidirectional ? 2 : 1;
  const G = ORDER[c.cell].length;
  const sequences = "tokens" in input ? input.tokens : input.features;
  const validBT = validSteps(g, sequences, lengths);
  let x: string;
  if ("tokens" in input) {
    // Ids past a sequence's length are read as padding, so whatever a caller pads with changes nothing.
    const ids = g.op("Where", [validBT, input.tokens, g.ints([0], [])]);
    const E = w(`${prefix}.embedding.weight`);
    x = g.op("Gather", [g.initializer(`${prefix}.embedding.weight`, E.shape, E.data), g.op("Transpose", [ids], { perm: [1, 0] })], { axis: 0 });
  } else {
    x = g.op("Transpose", [input.features], { perm: [1, 0, 2] });
  }
  const lens = g.op("Cast", [lengths], { to: INT32 });
  const hs: string[] = [];
  const cs: string[] = [];
  const finals = { h: [] as string[], c: [] as string[] };
  const sfx = (d: number) => (d ? "_reverse" : "");
  for (let l = 0; l < c.numLayers; l++) {
    const blocks = (kind: "weight_ih" | "weight_hh" | "bias_ih" | "bias_hh") => (d: number) => reorder(w(`${prefix}.rnn.${kind}_l${l}${sfx(d)}`), G, H, c.cell);
    const perDirection = (f: (d: number) => Float32Array) => concat(Array.from({ length: D }, (_, d) => f(d)));
    const I = w(`${prefix}.rnn.weight_ih_l${l}`).shape[1];
    const W = g.initializer(`${prefix}.rnn.W_l${l}`, [D, G * H, I], perDirection(blocks("weight_ih")));
    const R = g.initializer(`${prefix}.rnn.R_l${l}`, [D, G * H, H], perDirection(blocks("weight_hh")));
    const B = g.initializer(`${prefix}.rnn.B_l${l}`, [D, 2 * G * H], perDirection((d) => concat([blocks("bias_ih")(d), blocks("bias_hh")(d)])));
    const slice = (s?: string) => (s ? g.op("Slice", [s, g.ints([l * D]), g.ints([(l + 1) * D]), g.ints([0])]) : "");
    const attributes = {
      hidden_size: H,
      direction: D === 2 ? "bidirectional" : "forward",
      ...(c.cell === "gru" ? { linear_before_reset: (c.resetAfter ?? true) ? 1 : 0 } : {}),
      ...(c.cell === "rnn" ? { activations: new Array<string>(D).fill(c.nonlinearity === "relu" ? "Relu" : "Tanh") } : {}),
    };
    const inputs = [x, W, R, B, lens, slice(state.h0), ...(c.cell === "lstm" ? [slice(state.c0)] : [])];
    const [Y, Yh, Yc] = g.node(OP[c.cell], inputs, attributes, c.cell === "lstm" ? 3 : 2);
    // Y is [T, D, B, H]; the next layer reads [T, B, D·H], both directions side by side, as PyTorch's does.
    x = g.op("Reshape", [g.op("Transpose", [Y], { perm: [0, 2, 1, 3] }), g.ints([0, 0, -1])]);
    hs.push(Yh);
    finals.h.push(mergeState(g, Yh, D, H, c.merge));
    if (Yc) {
      cs.push(Yc);
      finals.c.push(mergeState(g, Yc, D, H, c.merge));
    }
  }
  const valid = g.op("Unsqueeze", [g.op("Transpose", [validBT], { perm: [1, 0] }), g.ints([2])]);
  const merged = D === 2 ? merge(g, x, H, c.merge) : x;
  return {
    outputs: g.op("Where", [valid, merged, g.scalar(0)]),
    finals,
    hN: hs.length === 1 ? hs[0] : g.op("Concat", hs, { axis: 0 }),
    ...(cs.length ? { cN: cs.length === 1 ? cs[0] : g.op("Concat", cs, { axis: 0 }) } : {}),
    valid,
  };
}

/** A layer's final state [D, B, H] as one row per sequence, its directions merged: [B, width]. */
function mergeState(g: Graph, s: string, D: number, H: number, mode: MergeMode): string {
  if (D === 1) return g.op("Squeeze", [s, g.ints([0])]);
  return merge(g, g.op("Reshape", [g.op("Transpose", [s], { perm: [1, 0, 2] }), g.ints([0, -1])]), H, mode);
}

function reorder(t: Tensor, G: number, H: number, cell: keyof typeof ORDER): Float32Array {
  const cols = t.shape.length === 2 ? t.shape[1] : 1;
  const block = H * cols;
  const out = new Float32Array(G * block);
  ORDER[cell].forEach((from, k) => out.set(t.data.subarray(from * block, (from + 1) * block), k * block));
  return out;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}


// A recurrent layer's options, as PyTorch names them, and their one check:
// every option of a layer (and of a layer a model file describes) is
// checked here, all of them before anything is allocated.

import { GatedError } from "../errors.ts";

export type RecurrentKind = "rnn" | "lstm" | "gru";

export interface RecurrentInit {
  /** "pytorch" (default): all weights uniform in ±1/√H. "xavier-orthogonal": Glorot-uniform W_ih, orthogonal W_hh gate blocks, zero biases. */
  scheme?: "pytorch" | "xavier-orthogonal";
  /** LSTM: forget-gate bias (in b_ih; b_hh's stays 0 under xavier-orthogonal), e.g. 1. */
  forgetBias?: number;
  /** GRU: reset-gate bias, e.g. −1. */
  resetBias?: number;
}

export interface RecurrentOptions {
  inputSize: number;
  hiddenSize: number;
  numLayers?: number;
  bidirectional?: boolean;
  batchFirst?: boolean;
  /** Whether the layer has b_ih and b_hh (default true). */
  bias?: boolean;
  /** RNN only: "tanh" (default) or "relu". */
  nonlinearity?: "tanh" | "relu";
  /** GRU only: true (default) is PyTorch's r ⊙ (W_hn h + b_hn); false is Cho et al.'s W_hn (r ⊙ h). */
  resetAfter?: boolean;
  /** Dropout on the outputs of every layer but the last, in training mode (PyTorch's `dropout`). */
  dropout?: number;
  /** Variational dropout of the recurrent state: one mask per sequence and layer direction, reused at every step. */
  recurrentDropout?: number;
  init?: RecurrentInit;
  /** Seed of the initial weights; by default drawn from the engine's generator. */
  seed?: number;
}

export type ResolvedOptions = Required<Omit<RecurrentOptions, "seed" | "nonlinearity" | "resetAfter" | "init">> &
  Pick<RecurrentOptions, "nonlinearity" | "resetAfter" | "init">;

/** Gate blocks per unit of each kind: LSTM i, f, g, o; GRU r, z, n; RNN one. */
export const GATES: Record<RecurrentKind, number> = { lstm: 4, gru: 3, rnn: 1 };

/** Deeper stacks than this are refused (a crafted file could otherwise ask for millions of layers). */
export const MAX_LAYERS = 64;
/** Widest input or state accepted (far beyond what fits in memory as a square weight). */
export const MAX_WIDTH = 1 << 20;

/** Checks a layer's options (all of them, before anything is allocated) and fills in the defaults. */
export function resolve(kind: RecurrentKind, o: RecurrentOptions): ResolvedOptions {
  const fail = (msg: string) => {
    throw new GatedError(`${kind}: ${msg}`);
  };
  if (!o || typeof o !== "object") fail("options {inputSize, hiddenSize, ...} are required");
  for (const key of ["inputSize", "hiddenSize"] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1 || o[key] > MAX_WIDTH) fail(`${key} must be a positive integer up to ${MAX_WIDTH}, got ${String(o[key])}`);
  }
  const numLayers = o.numLayers ?? 1;
  if (!Number.isInteger(numLayers) || numLayers < 1 || numLayers > MAX_LAYERS) fail(`numLayers must be an integer from 1 to ${MAX_LAYERS}, got ${String(numLayers)}`);
  for (const key of ["bidirectional", "batchFirst", "bias"] as const) {
    if (o[key] !== undefined && typeof o[key] !== "boolean") fail(`${key} must be true or false, got ${JSON.stringify(o[key])}`);
  }
  if (o.seed !== undefined && !Number.isInteger(o.seed)) fail(`seed must be an integer, got ${String(o.seed)}`);
  if (o.nonlinearity !== undefined && kind !== "rnn") fail("nonlinearity is an option of rnn layers only");
  if (o.nonlinearity !== undefined && o.nonlinearity !== "tanh" && o.nonlinearity !== "relu") {
    fail(`nonlinearity must be "tanh" or "relu", got ${String(o.nonlinearity)}`);
  }
  if (o.resetAfter !== undefined && kind !== "gru") fail("resetAfter is an option of gru layers only");
  for (const key of ["dropout", "recurrentDropout"] as const) {
    const p = o[key];
    if (p !== undefined && !(typeof p === "number" && p >= 0 && p < 1)) fail(`${key} must be a probability in [0, 1), got ${String(p)}`);
  }
  if (o.init !== undefined && (!o.init || typeof o.init !== "object" || Array.isArray(o.init))) fail("init must be an object {scheme, forgetBias, resetBias}");
  const init = o.init ?? {};
  const unknownInit = Object.keys(init).filter((k) => !["scheme", "forgetBias", "resetBias"].includes(k));
  if (unknownInit.length) fail(`unknown init options ${unknownInit.join(", ")}`);
  for (const key of ["forgetBias", "resetBias"] as const) {
    if (init[key] !== undefined && !(typeof init[key] === "number" && Number.isFinite(init[key]))) fail(`init.${key} must be a finite number, got ${String(init[key])}`);
  }
  if (init.scheme !== undefined && init.scheme !== "pytorch" && init.scheme !== "xavier-orthogonal") {
    fail(`init.scheme must be "pytorch" or "xavier-orthogonal", got ${String(init.scheme)}`);
  }
  if (init.forgetBias !== undefined && kind !== "lstm") fail("init.forgetBias is for LSTM layers only");
  if (init.resetBias !== undefined && kind !== "gru") fail("init.resetBias is for GRU layers only");
  const known = new Set([
    "inputSize", "hiddenSize", "numLayers", "bidirectional", "batchFirst", "bias", "nonlinearity", "resetAfter", "dropout",
    "recurrentDropout", "init", "seed",
  ]);
  const unknown = Object.keys(o).filter((key) => !known.has(key));
  if (unknown.length) fail(`unknown options ${unknown.join(", ")}`);
  return {
    inputSize: o.inputSize,
    hiddenSize: o.hiddenSize,
    numLayers,
    bidirectional: !!o.bidirectional,
    batchFirst: !!o.batchFirst,
    bias: o.bias ?? true,
    dropout: o.dropout ?? 0,
    recurrentDropout: o.recurrentDropout ?? 0,
    ...(o.init ? { init: { ...o.init } } : {}),
    ...(kind === "rnn" ? { nonlinearity: o.nonlinearity ?? "tanh" } : {}),
    ...(kind === "gru" ? { resetAfter: o.resetAfter ?? true } : {}),
  };
}

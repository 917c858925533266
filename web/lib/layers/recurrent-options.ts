// A recurrent layer's options, as PyTorch names them, and their one check:
// every option of a layer (and of a layer a model file describes) is
// checked here, all of them before anything is allocated.

import { GatedError } from "../errors.ts";
import { isPlainObject } from "../util/check.ts";

export const RECURRENT_KINDS = ["rnn", "lstm", "gru"] as const;
export type RecurrentKind = (typeof RECURRENT_KINDS)[number];

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

/** Checks a layer's options (all of them, before anything is allocated; they may come from a file) and fills in the defaults. */
export function resolve(kind: RecurrentKind, options: unknown): ResolvedOptions {
  const fail = (msg: string): never => {
    throw new GatedError(`${kind}: ${msg}`);
  };
  if (!isPlainObject(options)) return fail("options {inputSize, hiddenSize, ...} are required");
  const o = options;
  const width = (key: "inputSize" | "hiddenSize"): number => {
    const v = o[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > MAX_WIDTH) return fail(`${key} must be a positive integer up to ${MAX_WIDTH}, got ${String(v)}`);
    return v;
  };
  const inputSize = width("inputSize");
  const hiddenSize = width("hiddenSize");
  const numLayers = o.numLayers ?? 1;
  if (typeof numLayers !== "number" || !Number.isInteger(numLayers) || numLayers < 1 || numLayers > MAX_LAYERS) return fail(`numLayers must be an integer from 1 to ${MAX_LAYERS}, got ${String(numLayers)}`);
  const flag = (key: "bidirectional" | "batchFirst" | "bias" | "resetAfter"): boolean | undefined => {
    const v = o[key];
    if (v !== undefined && typeof v !== "boolean") return fail(`${key} must be true or false, got ${JSON.stringify(v)}`);
    return v;
  };
  const [bidirectional, batchFirst, bias] = [flag("bidirectional"), flag("batchFirst"), flag("bias")];
  if (o.seed !== undefined && !Number.isInteger(o.seed)) fail(`seed must be an integer, got ${String(o.seed)}`);
  const nonlinearity = o.nonlinearity;
  if (nonlinearity !== undefined && kind !== "rnn") fail("nonlinearity is an option of rnn layers only");
  if (nonlinearity !== undefined && nonlinearity !== "tanh" && nonlinearity !== "relu") return fail(`nonlinearity must be "tanh" or "relu", got ${String(nonlinearity)}`);
  if (o.resetAfter !== undefined && kind !== "gru") fail("resetAfter is an option of gru layers only");
  const resetAfter = flag("resetAfter");
  const probability = (key: "dropout" | "recurrentDropout"): number => {
    const p = o[key] ?? 0;
    if (!(typeof p === "number" && p >= 0 && p < 1)) return fail(`${key} must be a probability in [0, 1), got ${String(p)}`);
    return p;
  };
  const [dropout, recurrentDropout] = [probability("dropout"), probability("recurrentDropout")];
  const init = o.init === undefined ? undefined : checkInit(o.init, kind, fail);
  const unknown = Object.keys(o).filter((key) => !(OPTION_KEYS as readonly string[]).includes(key));
  if (unknown.length) fail(`unknown options ${unknown.join(", ")}`);
  return {
    inputSize, hiddenSize, numLayers, bidirectional: !!bidirectional, batchFirst: !!batchFirst, bias: bias ?? true, dropout, recurrentDropout,
    ...(init ? { init } : {}),
    ...(kind === "rnn" ? { nonlinearity: nonlinearity ?? "tanh" } : {}),
    ...(kind === "gru" ? { resetAfter: resetAfter ?? true } : {}),
  };
}

const OPTION_KEYS = [
  "inputSize", "hiddenSize", "numLayers", "bidirectional", "batchFirst", "bias", "nonlinearity", "resetAfter", "dropout", "recurrentDropout", "init", "seed",
] as const satisfies readonly (keyof RecurrentOptions)[];

/** A layer's init options, checked: known entries, finite biases, each for the cell it applies to. */
function checkInit(init: unknown, kind: RecurrentKind, fail: (msg: string) => never): RecurrentInit {
  if (!isPlainObject(init)) return fail("init must be an object {scheme, forgetBias, resetBias}");
  const unknownInit = Object.keys(init).filter((k) => !["scheme", "forgetBias", "resetBias"].includes(k));
  if (unknownInit.length) fail(`unknown init options ${unknownInit.join(", ")}`);
  const bias = (key: "forgetBias" | "resetBias"): number | undefined => {
    const v = init[key];
    if (v !== undefined && !(typeof v === "number" && Number.isFinite(v))) return fail(`init.${key} must be a finite number, got ${String(v)}`);
    return v;
  };
  const [forgetBias, resetBias] = [bias("forgetBias"), bias("resetBias")];
  const scheme = init.scheme;
  if (scheme !== undefined && scheme !== "pytorch" && scheme !== "xavier-orthogonal") return fail(`init.scheme must be "pytorch" or "xavier-orthogonal", got ${String(scheme)}`);
  if (forgetBias !== undefined && kind !== "lstm") fail("init.forgetBias is for LSTM layers only");
  if (resetBias !== undefined && kind !== "gru") fail("init.resetBias is for GRU layers only");
  return { ...(scheme !== undefined ? { scheme } : {}), ...(forgetBias !== undefined ? { forgetBias } : {}), ...(resetBias !== undefined ? { resetBias } : {}) };
}

// The vanishing- and exploding-gradient lab. A task with a long-range
// dependency: the label of a sequence is its first symbol, and the T − 1
// symbols after it are noise, so the only useful gradient is the one that
// travels back through all T steps. A recurrent layer reads the one-hot
// symbols; its final state feeds a linear softmax head. Every training step
// reports ‖∂L/∂h_k‖ for every step k (from the backward's own record of each
// step's state gradient, averaged over the batch), the largest singular value
// of W_hh, and what clipping and truncated BPTT did.

import type { Engine } from "../engine.ts";
import { GatedError } from "../errors.ts";
import type { Linear } from "../layers/linear.ts";
import type { Losses } from "../layers/losses.ts";
import type { Recurrent, RecurrentKind } from "../layers/recurrent.ts";
import type { Optimizer } from "../optim/optimizer.ts";
import { gradNorm } from "../optim/clip.ts";
import { type OptionSpec, type OptionValuesOf, resolveOptions } from "../pipelines/options.ts";
import { Random } from "../util/random.ts";

/** The cells a lab compares (a page names them without importing the layers). */
export type LabCell = RecurrentKind;

/** The lab's settings as option specs (what a form and a link are built from); every cell kind runs with the same ones. */
export const LAB_OPTIONS = [
  { key: "T", flag: "length", label: "Sequence length T", description: "How far back the symbol that decides the label lies: the gradient must travel through T steps to reach it.", group: "model", type: "integer", default: 40, min: 5, max: 200 },
  { key: "hiddenSize", flag: "hidden", label: "Hidden units", description: "Size of the recurrent state h_t.", group: "model", type: "integer", default: 32, min: 2, max: 256 },
  { key: "whhScale", flag: "whh-scale", label: "W_hh scale", description: "W_hh is multiplied by this after PyTorch's initialisation: above 1 the RNN's gradients can explode, below 1 they vanish sooner.", group: "model", type: "number", default: 1, min: 0.1, max: 5 },
  { key: "nonlinearity", flag: "activation", label: "RNN activation", description: "The vanilla RNN's nonlinearity: tanh′ ≤ 1 shrinks gradients; relu′ is 0 or 1.", group: "model", type: "choice", default: "tanh", choices: ["tanh", "relu"] },
  { key: "forgetBias", flag: "forget-bias", label: "LSTM forget bias", description: "The LSTM forget gate's initial bias: 1 (Keras's default) keeps the cell state, and its gradient, from the start; PyTorch starts at 0.", group: "model", type: "number", default: 1, min: -5, max: 5 },
  { key: "resetBias", flag: "reset-bias", label: "GRU reset bias", description: "The GRU reset gate's initial bias (−1 is a common choice).", group: "model", type: "number", default: 0, min: -5, max: 5 },
  { key: "clip", flag: "clip", label: "Clipping", description: "Gradient clipping before each update: by the global norm, or each entry by value.", group: "training", type: "choice", default: "none", choices: ["none", "norm", "value"] },
  { key: "clipAt", flag: "clip-at", label: "Clip at", description: "The norm (or value) gradients are clipped to.", group: "training", type: "number", default: 1, min: 1e-6, max: 1000 },
  { key: "tbptt", flag: "tbptt", label: "Truncated BPTT", description: "Backpropagate through only the last k steps (0: all of them): steps before the window get no gradient.", group: "training", type: "integer", default: 0, min: 0, max: 200 },
  { key: "lr", flag: "lr", label: "Learning rate", description: "Adam's step size.", group: "training", type: "number", default: 0.003, min: 1e-6, max: 1 },
  { key: "batchSize", flag: "batch", label: "Batch size", description: "Sequences per step.", group: "training", type: "integer", default: 32, min: 1, max: 256 },
  { key: "seed", flag: "seed", label: "Seed", description: "Seed of the weights and the data.", group: "training", type: "integer", default: 1, min: 0, max: 2 ** 31 - 1 },
] as const satisfies readonly OptionSpec[];

/** A lab's settings, typed by LAB_OPTIONS (T: how far back the first symbol lies; whhScale multiplies W_hh after initialisation; tbptt 0: through every step); what is left out takes its default. */
export type LabConfig = { cell: LabCell } & Partial<OptionValuesOf<typeof LAB_OPTIONS>>;

export interface LabStep {
  step: number;
  loss: number;
  accuracy: number;
  /** ‖∂L/∂h_k‖ averaged over the batch, for k = 0 … T − 1 (0 where truncated BPTT cut the gradient off). */
  stepNorms: number[];
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Largest singular value of W_hh (the whole matrix, every gate block). */
  sigmaMax: number;
}

/**
 * One sequence read step by step, as a student follows it: the symbol at
 * every step, each gate's values and the states (h, and c for an LSTM) after
 * it, the verdict at the end, and on the way back ‖∂L/∂h_t‖ and ∂L/∂h_t at
 * every step (full BPTT). Nothing is learned from it.
 */
export interface LabTrace {
  symbols: number[];
  label: number;
  /** Probability of label 0 and of label 1 after the last step. */
  probabilities: [number, number];
  loss: number;
  /** Per step: gate name (i, f, g, o, c, h / r, z, n, h / h) → its value for each unit. */
  steps: Record<string, number[]>[];
  /** ∂L/∂h_t for each unit, and its norm, per step. */
  gradients: number[][];
  gradNorms: number[];
}

/** Symbols: 0 and 1 carry the label; 2 … 5 are noise. */
export const SYMBOLS = 6;

export class GradientLab {
  readonly config: { cell: LabCell } & OptionValuesOf<typeof LAB_OPTIONS>;
  private readonly rnn: Recurrent;
  private readonly head: Linear;
  private readonly losses: Losses;
  private readonly optimizer: Optimizer;
  private readonly rng: Random;
  /** The batch's one-hot inputs (T×B×symbols) and a carried state (2·B×H), owned here. */
  private readonly inputs: number;
  private steps = 0;

  constructor(private readonly engine: Engine, config: LabConfig) {
    const { cell, ...settings } = config;
    if (!["rnn", "lstm", "gru"].includes(cell)) throw new GatedError(`cell must be rnn, lstm or gru, got ${cell}`);
    // Checked against LAB_OPTIONS, the same declarations the page's form and link are built from.
    const c = (this.config = { cell, ...resolveOptions(LAB_OPTIONS, settings) });
    this.rng = new Random(c.seed);
    const init = c.cell === "lstm" ? { forgetBias: c.forgetBias } : c.cell === "gru" ? { resetBias: c.resetBias } : {};
    this.rnn = engine[c.cell]({ inputSize: SYMBOLS, hiddenSize: c.hiddenSize, init, seed: c.seed, ...(c.cell === "rnn" ? { nonlinearity: c.nonlinearity } : {}) });
    const whh = this.rnn.parameters().find((p) => p.name === "weight_hh_l0")!;
    const w = whh.values();
    whh.set({ shape: w.shape, data: w.data.map((v) => v * c.whhScale) });
    this.head = engine.linear({ inFeatures: c.hiddenSize, outFeatures: 2, seed: c.seed + 1 });
    this.losses = engine.losses();
    this.optimizer = engine.optimizer("adam", this.parameters(), { lr: c.lr });
    this.inputs = engine.arena.alloc(4 * (c.T * c.batchSize * SYMBOLS + 2 * c.batchSize * c.hiddenSize));
  }

  private parameters() {
    return [...this.rnn.parameters(), ...this.head.parameters()];
  }

  /** A fresh batch of B sequences, written one-hot into the inputs: the symbols, time-major, and the labels. */
  private batch(B: number): { symbols: number[]; labels: number[] } {
    const { T } = this.config;
    const labels = Array.from({ length: B }, () => (this.rng.next() < 0.5 ? 0 : 1));
    const symbols = Array.from({ length: T * B }, (_, i) => (i < B ? labels[i] : 2 + Math.floor(this.rng.next() * 4)));
    const x = this.inputs >> 2;
    const F = this.engine.heap.f;
    F.fill(0, x, x + T * B * SYMBOLS);
    symbols.forEach((s, i) => (F[x + i * SYMBOLS + s] = 1));
    return { symbols, labels };
  }

  /** Loss and its gradient through the head back to every step's state, with the parameters' gradients zeroed first. */
  private backward(hN: number, B: number, labels: number[]) {
    const logits = this.head.forward(hN, B);
    const r = this.losses.crossEntropy(logits, labels);
    for (const p of this.parameters()) this.engine.kernels.fill(p.size, p.grad, 0);
    const dh = this.head.backward(r.grad.ptr)!;
    this.rnn.runBackward({ dhN: dh.ptr, inputGrad: false, stepGradients: true });
    return { logits: logits.data, loss: r.loss, grads: this.rnn.stepGradients().l0.h.data };
  }

  /** One sequence followed step by step, forward and back (see LabTrace); the weights are not changed. */
  trace(): LabTrace {
    const { T, hiddenSize: H } = this.config;
    const { symbols, labels } = this.batch(1);
    const run = this.rnn.run(this.inputs, T, 1);
    const gates = this.rnn.gates().l0;
    const { logits, loss, grads } = this.backward(run.hN.ptr, 1, labels);
    const units = (data: ArrayLike<number>, t: number) => Array.from(data).slice(t * H, (t + 1) * H);
    const p1 = 1 / (1 + Math.exp(logits[0] - logits[1]));
    const gradients = Array.from({ length: T }, (_, t) => units(grads, t));
    return {
      symbols, label: labels[0], probabilities: [1 - p1, p1], loss,
      steps: Array.from({ length: T }, (_, t) => Object.fromEntries(Object.entries(gates).map(([name, g]) => [name, units(g.data, t)]))),
      gradients, gradNorms: gradients.map((g) => Math.hypot(...g)),
    };
  }

  /** One training step on a fresh batch. */
  step(): LabStep {
    const { T, batchSize: B, hiddenSize: H, tbptt, clip, clipAt } = this.config;
    const e = this.engine;
    const k = e.kernels;
    const { labels } = this.batch(B);
    const x = this.inputs;
    // Truncated BPTT: the first T − k steps only carry the state forward; gradients flow through the last k.
    const cut = tbptt > 0 && tbptt < T ? T - tbptt : 0;
    let state: { h0?: number; c0?: number } = {};
    if (cut > 0) {
      const head = this.rnn.run(x, cut, B);
      const h0 = x + 4 * T * B * SYMBOLS;
      k.copyRows(1, B * H, head.hN.ptr, B * H, h0, B * H);
      if (head.cN) k.copyRows(1, B * H, head.cN.ptr, B * H, h0 + 4 * B * H, B * H);
      state = { h0, c0: head.cN ? h0 + 4 * B * H : 0 };
    }
    const run = this.rnn.run(x + 4 * cut * B * SYMBOLS, T - cut, B, state);
    const { logits: L, loss, grads } = this.backward(run.hN.ptr, B, labels);
    const stepNorms = new Array<number>(T).fill(0);
    for (let t = 0; t < T - cut; t++) {
      let sum = 0;
      for (let b = 0; b < B; b++) {
        let s = 0;
        for (let j = 0; j < H; j++) s += grads[(t * B + b) * H + j] ** 2;
        sum += Math.sqrt(s);
      }
      stepNorms[cut + t] = sum / B;
    }
    const params = this.parameters();
    const norm = gradNorm(e, params);
    if (clip === "norm") e.clipGradNorm(params, clipAt);
    if (clip === "value") e.clipGradValue(params, clipAt);
    this.optimizer.step();
    let correct = 0;
    labels.forEach((label, b) => (correct += (L[b * 2 + 1] > L[b * 2] ? 1 : 0) === label ? 1 : 0));
    return { step: ++this.steps, loss, accuracy: correct / B, stepNorms, gradNorm: norm, sigmaMax: this.sigmaMax() };
  }

  /** Largest singular value of W_hh, by power iteration on WᵀW. */
  sigmaMax(iterations = 30): number {
    const w = this.rnn.parameters().find((p) => p.name === "weight_hh_l0")!.values();
    const [rows, cols] = w.shape;
    let v = new Float64Array(cols).fill(1 / Math.sqrt(cols));
    let sigma = 0;
    for (let it = 0; it < iterations; it++) {
      const u = new Float64Array(rows);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) u[i] += w.data[i * cols + j] * v[j];
      const next = new Float64Array(cols);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) next[j] += w.data[i * cols + j] * u[i];
      const norm = Math.hypot(...next);
      if (norm === 0) return 0;
      sigma = Math.sqrt(norm);
      v = next.map((x) => x / norm);
    }
    return sigma;
  }

  dispose(): void {
    this.engine.arena.release(this.inputs);
    this.optimizer.dispose();
    this.rnn.dispose();
    this.head.dispose();
    this.losses.dispose();
  }
}

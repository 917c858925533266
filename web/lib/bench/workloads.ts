// The benchmark workloads, the same for every system: a recurrent classifier
// trained with full BPTT, softmax cross-entropy and Adam (train step =
// forward + backward + update; inference = forward). FLOPs are counted as
// 2·T·G·H·(I+H) per sequence forward (G = 4 LSTM, 3 GRU, 1 RNN), 3× for a
// training step, so every system is credited with the same work.

import type { Engine } from "../engine.ts";
import type { RecurrentKind } from "../layers/recurrent.ts";
import type { CellKind } from "../layers/cells/kind.ts";
import { gruCell } from "../layers/cells/gru.ts";
import { lstmCell } from "../layers/cells/lstm.ts";
import { rnnCell } from "../layers/cells/rnn.ts";
import { type SequenceBatch, tokenBatch } from "../models/batch.ts";
import { SequenceClassifier } from "../models/classifier.ts";
import { Optimizer } from "../optim/optimizer.ts";
import { DataParallel, type ParallelOptions } from "../parallel/data-parallel.ts";
import type { Payload } from "../parallel/payload.ts";
import { Random } from "../util/random.ts";

export interface Workload {
  id: string;
  cell: RecurrentKind;
  B: number;
  T: number;
  /** Dense input features per step, or the embedding width when `vocab` is set. */
  I: number;
  H: number;
  /** Token inputs from a vocabulary of this size through an embedding of width I. */
  vocab?: number;
  classes: number;
}

export const WORKLOADS: Workload[] = [
  { id: "lstm-128", cell: "lstm", B: 32, T: 64, I: 64, H: 128, classes: 2 },
  { id: "lstm-256", cell: "lstm", B: 32, T: 64, I: 64, H: 256, classes: 2 },
  { id: "gru-128", cell: "gru", B: 32, T: 64, I: 64, H: 128, classes: 2 },
  { id: "rnn-128", cell: "rnn", B: 32, T: 64, I: 64, H: 128, classes: 2 },
  { id: "text-lstm", cell: "lstm", B: 32, T: 100, I: 64, H: 128, vocab: 10_000, classes: 2 },
];

/**
 * One prediction at a time, as classify-as-you-type asks: one sequence (B = 1) of 20 and of 100
 * steps through the lstm-128 network, inference only. Timed by `npm run bench` (not the
 * playground's suite, whose workloads also train).
 */
export const LATENCY_WORKLOADS: Workload[] = [
  { id: "latency-b1-20", cell: "lstm", B: 1, T: 20, I: 64, H: 128, classes: 2 },
  { id: "latency-b1-100", cell: "lstm", B: 1, T: 100, I: 64, H: 128, classes: 2 },
];

const GATES: Record<RecurrentKind, number> = { lstm: 4, gru: 3, rnn: 1 };

export function forwardFlops(w: Workload): number {
  return 2 * w.T * GATES[w.cell] * w.H * (w.I + w.H);
}

/** Deterministic inputs and labels for a workload (feature values or token ids, time-major). */
export function workloadData(w: Workload, seed = 1): { features?: Float32Array; ids?: Int32Array; labels: number[] } {
  const rng = new Random(seed);
  const labels = Array.from({ length: w.B }, (_, b) => b % w.classes);
  if (w.vocab) return { ids: Int32Array.from({ length: w.T * w.B }, () => 4 + Math.floor(rng.next() * (w.vocab! - 4))), labels };
  return { features: Float32Array.from({ length: w.T * w.B * w.I }, () => rng.normal()), labels };
}

/** Engine memory at its peak, beside what training needs at the least. */
export interface MemoryUse {
  /** The most bytes the engine held at once. */
  peakBytes: number;
  /** Parameters with their gradients and Adam's two moments, plus the activations BPTT keeps: inputs, each step's caches, outputs. */
  essentialBytes: number;
}

const CELLS: Record<RecurrentKind, CellKind> = { lstm: lstmCell, gru: gruCell(true), rnn: rnnCell("tanh") };

/** Floats of the activations a training step must keep for the backward pass of a workload's batch. */
function activationFloats(w: Workload): number {
  // A cache named d… holds a gradient, not an activation.
  const perStep = Object.entries(CELLS[w.cell].caches(w.H)).reduce((n, [name, floats]) => (name.startsWith("d") ? n : n + floats), 0);
  return w.T * w.B * (w.I + perStep + w.H) + w.B * w.classes;
}

export interface GatedRunner {
  train(): number;
  infer(): void;
  memory(): MemoryUse;
  model: SequenceClassifier;
  optimizer: Optimizer;
  batch: SequenceBatch;
  labels: number[];
}

/** The workload as a Gated model on an engine: LSTM/GRU/RNN → last state → Linear → softmax CE, Adam. */
export function gatedRunner(engine: Engine, w: Workload, seed = 1): GatedRunner {
  const model = new SequenceClassifier(engine, {
    type: "classifier",
    input: w.vocab ? { vocabSize: w.vocab, embeddingDim: w.I } : { features: w.I },
    cell: w.cell, hiddenSize: w.H, numLayers: 1, bidirectional: false, merge: "concat", dropout: 0, recurrentDropout: 0,
    pooling: "last", headDropout: 0, classes: w.classes,
  });
  const data = workloadData(w, seed);
  const batch: SequenceBatch = w.vocab
    ? tokenBatch(Array.from({ length: w.B }, (_, b) => Array.from({ length: w.T }, (_, t) => data.ids![t * w.B + b])))
    : { T: w.T, B: w.B, lengths: new Array(w.B).fill(w.T), features: data.features };
  const optimizer = new Optimizer(engine, "adam", model.parameters(), { lr: 1e-3 });
  return {
    model, optimizer, batch, labels: data.labels,
    train: () => {
      model.zeroGrad();
      const r = model.step(batch, data.labels, true);
      optimizer.step();
      return r.loss;
    },
    infer: () => void model.forward(batch),
    memory: () => ({
      peakBytes: engine.arena.peakBytes,
      essentialBytes: 4 * (4 * model.parameters().reduce((n, p) => n + p.size, 0) + activationFloats(w)),
    }),
  };
}

/** The batch split by sequence into one payload per part (time-major rows regrouped). */
function shardPayloads(batch: SequenceBatch, labels: number[], parts: number[][]): Payload[] {
  const { T, B } = batch;
  return parts.map((rows) => {
    const take = <A extends Int32Array | Float32Array>(src: A, width: number): A => {
      const out = new (src.constructor as new (n: number) => A)(T * rows.length * width);
      rows.forEach((b, j) => {
        for (let t = 0; t < T; t++) out.set(src.subarray((t * B + b) * width, (t * B + b + 1) * width), (t * rows.length + j) * width);
      });
      return out;
    };
    const width = batch.features ? batch.features.length / (T * B) : 1;
    const shard: SequenceBatch = {
      T, B: rows.length, lengths: rows.map((b) => batch.lengths[b]),
      ...(batch.ids ? { ids: take(batch.ids, 1) } : { features: take(batch.features!, width) }),
    };
    return { kind: "classifier", batch: shard, labels: rows.map((b) => labels[b]) };
  });
}

/** The workload trained data-parallel: gradients of each shard on a worker, one Adam step on this thread. */
export async function dataParallelRunner(engine: Engine, w: Workload, options: ParallelOptions, seed = 1) {
  const r = gatedRunner(engine, w, seed);
  const dp = await DataParallel.create(engine, r.model, options);
  const shards = shardPayloads(r.batch, r.labels, dp.split(Array.from({ length: w.B }, (_, b) => b)));
  return {
    threads: dp.threads,
    reason: dp.reason,
    variant: engine.variant,
    train: async () => {
      const result = await dp.step(shards, true);
      r.optimizer.step();
      return result.loss;
    },
    /** Inference split across the workers as training is: each runs its shard forward. */
    infer: () => dp.evaluate(shards),
    dispose: () => dp.dispose(),
  };
}

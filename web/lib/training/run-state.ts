// A run's state as one plain record: everything a checkpoint must carry to go
// on bit for bit, besides tensors and what the optimizer, the schedule and
// the engine keep. The session keeps its state in one RunState, and a
// checkpoint's state is a copy of it with those few additions, so no field
// can be forgotten when saving or restoring.

import type { Tensor } from "../tensor.ts";
import type { SchedulerState } from "./schedules.ts";
import type { EpochReport, FinishReason } from "./reports.ts";
import type { TrainSettings } from "./settings.ts";

/** The current epoch's sums so far. */
export interface EpochTotals {
  lossSum: number;
  lossCount: number;
  correct: number;
  counted: number;
  sequences: number;
  /** Seconds spent on this epoch's batches so far. */
  seconds: number;
}

export interface RunState {
  /** The epoch under way (1-based), and batches of it done. */
  epoch: number;
  batch: number;
  /** The shuffling generator's state at the start of the current epoch (between epochs: of the next). */
  rng: number[];
  epochTotals: EpochTotals;
  /** Early stopping: the best monitored loss so far (null before the first epoch ends), its epoch, epochs since. */
  early: { bestLoss: number | null; bestEpoch: number; stale: number };
  history: EpochReport[];
  finished: FinishReason | null;
  /** Batches done since the start. */
  steps: number;
}

/** A checkpoint's state: the run's, with its settings and what the engine, the optimizer and the schedule keep. */
export interface SavedState extends RunState {
  settings: TrainSettings;
  progressInterval: number;
  /** The engine's dropout generator. */
  dropoutRng: number;
  optimizer: { steps: number; lr: number };
  scheduler: SchedulerState;
  /** fingerprint() of the training and validation examples. */
  data: string;
}

/** A session's whole state as plain data and tensors (see persist/checkpoint.ts). */
export interface SessionSnapshot {
  /** Everything but tensors, as JSON. */
  state: SavedState;
  weights: Record<string, Tensor>;
  optimizer: Record<string, Tensor>;
  /** The best epoch's weights, kept by early stopping. */
  best: Record<string, Tensor>;
}

export const emptyTotals = (): EpochTotals => ({ lossSum: 0, lossCount: 0, correct: 0, counted: 0, sequences: 0, seconds: 0 });

/** Adds a batch's result (its mean loss over `count` items, and correct ones where the task counts them) to the epoch's sums. */
export function addBatch(t: EpochTotals, r: { loss: number; count: number; correct?: number }, sequences: number, seconds: number): void {
  t.lossSum += r.loss * r.count;
  t.lossCount += r.count;
  if (r.correct !== undefined) {
    t.correct += r.correct;
    t.counted += r.count;
  }
  t.sequences += sequences;
  t.seconds += seconds;
}

/** The epoch so far: mean loss, accuracy (where counted) and throughput. */
export const epochSoFar = (t: EpochTotals) => ({
  loss: t.lossSum / t.lossCount, ...(t.counted ? { accuracy: t.correct / t.counted } : {}), sequencesPerSecond: t.sequences / Math.max(t.seconds, 1e-9),
});

/** The state of a run that has not begun, its shuffling generator at `rng`. */
export const freshRunState = (rng: number[]): RunState => ({
  epoch: 1, batch: 0, rng, epochTotals: emptyTotals(), early: { bestLoss: null, bestEpoch: 0, stale: 0 }, history: [], finished: null, steps: 0,
});

/**
 * A deep copy of the run's part of a state (of a RunState, or of a checkpoint's SavedState). Every
 * field is named: a field added to RunState and left out here fails to compile.
 */
export const copyRunState = ({ epoch, batch, rng, epochTotals, early, history, finished, steps }: RunState): RunState =>
  structuredClone({ epoch, batch, rng, epochTotals, early, history, finished, steps });

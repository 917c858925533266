// What a training run reports: progress during an epoch, a report at the end
// of each, and its status.

export interface Progress {
  epoch: number;
  epochs: number;
  /** Batch within the epoch, 1-based, of `batches`. */
  batch: number;
  batches: number;
  /** Batches done since the start of the run. */
  steps: number;
  /** Running mean loss over this epoch's batches so far. */
  loss: number;
  /** Running accuracy over this epoch, where the task counts correct predictions. */
  accuracy?: number;
  lr: number;
  /** Training throughput so far this epoch (time spent paused does not count). */
  sequencesPerSecond: number;
  /** Global L2 norm of this batch's gradient before clipping. */
  gradNorm: number;
  /** Each parameter's gradient norm before clipping, by state-dict name (when asked for). */
  parameterNorms?: Record<string, number>;
}

export interface EpochReport {
  epoch: number;
  trainLoss: number;
  trainAccuracy?: number;
  validationLoss?: number;
  validationAccuracy?: number;
  perplexity?: number;
  metrics: Record<string, number>;
  lr: number;
  seconds: number;
  sequencesPerSecond: number;
}

export type SessionState = "ready" | "running" | "paused" | "stopped" | "finished";
/** completed: every epoch ran; early-stopping: validation stopped improving; diverged: a loss or gradient was not finite. */
export type FinishReason = "completed" | "early-stopping" | "diverged";

export interface SessionStatus {
  state: SessionState;
  /** Why the run finished, once it has. */
  finished?: FinishReason;
  /** Epochs fully done, and batches done in the current one. */
  epoch: number;
  batch: number;
  epochs: number;
  history: EpochReport[];
  bestEpoch: number;
}

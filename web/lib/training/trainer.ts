// Training in one call: a TrainingSession run to its end (or until the
// signal aborts it), the model left in evaluation mode.

import type { EngineContext } from "../layers/context.ts";
import type { EpochReport } from "./reports.ts";
import { TrainingSession } from "./session.ts";
import type { SessionOptions } from "./settings.ts";
import type { Task } from "./task.ts";

export type { EpochReport, Progress } from "./reports.ts";
export type { Task } from "./task.ts";
export { evaluate } from "./task.ts";

export interface TrainOptions<E = unknown> extends SessionOptions<E> {
  /** Ends training after the current batch. */
  signal?: AbortSignal;
}

export interface TrainResult {
  history: EpochReport[];
  /** Why training ended. */
  stopped: "completed" | "early-stopping" | "cancelled";
  bestEpoch: number;
}

export async function train<E>(ctx: EngineContext, task: Task<E>, examples: readonly E[], options: TrainOptions<E>): Promise<TrainResult> {
  const { signal, ...rest } = options;
  const session = TrainingSession.create(ctx, task, examples, rest);
  const abort = () => session.stop();
  signal?.addEventListener("abort", abort);
  try {
    const status = signal?.aborted ? session.info() : await session.run();
    const stopped = status.finished === "completed" || status.finished === "early-stopping" ? status.finished : "cancelled";
    return { history: status.history, stopped, bestEpoch: status.bestEpoch };
  } finally {
    signal?.removeEventListener("abort", abort);
    task.model.eval();
    session.dispose();
  }
}

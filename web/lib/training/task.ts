// What training needs from a model and its data (a task: classification,
// language modelling, regression, translation), and scoring a task on
// examples in evaluation mode.

import type { Module } from "../layers/module.ts";
import type { StepResult } from "../models/classifier.ts";
import type { Payload } from "../parallel/payload.ts";
import type { EpochReport } from "./reports.ts";

/** What training needs from a model and its data. */
export interface Task<E> {
  readonly model: Module;
  /** Forward (and, when training, backward with accumulating gradients) on a batch of examples. */
  step(examples: E[], train: boolean): StepResult;
  /** The batch as one model call that a worker can run (data-parallel training); absent if the task cannot be split. */
  payload?(examples: E[]): Payload;
  /** Length used to bucket examples into batches of similar length. */
  length?(example: E): number;
  /** Extra validation metrics (exact match, BLEU, …) computed on the validation examples. */
  evaluate?(examples: E[]): Record<string, number>;
  /** Report perplexity, exp(mean loss per token). */
  perplexity?: boolean;
}

/** Mean loss (and accuracy) over examples in evaluation mode, plus the task's own metrics. */
export function evaluate<E>(task: Task<E>, examples: readonly E[], batchSize: number): Partial<EpochReport> & { metrics: Record<string, number> } {
  return task.model.evaluating(() => {
    let lossSum = 0, lossCount = 0, correct = 0, counted = 0;
    for (let i = 0; i < examples.length; i += batchSize) {
      const r = task.step(examples.slice(i, i + batchSize), false);
      lossSum += r.loss * r.count;
      lossCount += r.count;
      if (r.correct !== undefined) {
        correct += r.correct;
        counted += r.count;
      }
    }
    const out: Partial<EpochReport> & { metrics: Record<string, number> } = {
      validationLoss: lossSum / lossCount,
      metrics: task.evaluate ? task.evaluate([...examples]) : {},
    };
    if (counted) out.validationAccuracy = correct / counted;
    return out;
  });
}

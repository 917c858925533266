// Learning-rate schedules, applied between epochs.

import { GatedError } from "../errors.ts";

export type Schedule =
  | { type: "constant" }
  /** lr ← lr·gamma every `every` epochs */
  | { type: "step"; every: number; gamma: number }
  /** lr ← lr·gamma each epoch */
  | { type: "exponential"; gamma: number }
  /** cosine from the initial rate down to minLr over the run */
  | { type: "cosine"; minLr?: number }
  /** lr ← lr·factor when the validation loss has not improved for `patience` epochs */
  | { type: "plateau"; factor: number; patience: number };

/** A plateau schedule's memory, for checkpoints (best is null before the first epoch). */
export interface SchedulerState {
  best: number | null;
  stale: number;
}

export class Scheduler {
  private best = Infinity;
  private stale = 0;

  get state(): SchedulerState {
    return { best: Number.isFinite(this.best) ? this.best : null, stale: this.stale };
  }

  set state(s: SchedulerState) {
    if (!(Number.isInteger(s?.stale) && s.stale >= 0) || !(s.best === null || Number.isFinite(s.best))) throw new GatedError("schedule state: best must be a number or null and stale a count");
    this.best = s.best ?? Infinity;
    this.stale = s.stale;
  }

  constructor(private readonly schedule: Schedule, private readonly initial: number, private readonly epochs: number) {
    const s = schedule as Record<string, unknown>;
    const positive = (k: string) => {
      if (!(typeof s[k] === "number" && (s[k] as number) > 0)) throw new GatedError(`schedule ${schedule.type}: ${k} must be a number > 0`);
    };
    if (schedule.type === "step") ["every", "gamma"].forEach(positive);
    else if (schedule.type === "exponential") positive("gamma");
    else if (schedule.type === "plateau") ["factor", "patience"].forEach(positive);
    else if (schedule.type !== "constant" && schedule.type !== "cosine") throw new GatedError(`unknown schedule "${(schedule as { type: string }).type}"`);
  }

  /** The rate for the epoch after `epoch` (1-based) ended with this validation loss. */
  next(lr: number, epoch: number, validationLoss: number): number {
    const s = this.schedule;
    switch (s.type) {
      case "constant":
        return lr;
      case "step":
        return epoch % s.every === 0 ? lr * s.gamma : lr;
      case "exponential":
        return lr * s.gamma;
      case "cosine": {
        const min = s.minLr ?? 0;
        return min + 0.5 * (this.initial - min) * (1 + Math.cos((Math.PI * Math.min(epoch, this.epochs)) / this.epochs));
      }
      case "plateau":
        if (validationLoss < this.best - 1e-12) {
          this.best = validationLoss;
          this.stale = 0;
          return lr;
        }
        if (++this.stale >= s.patience) {
          this.stale = 0;
          return lr * s.factor;
        }
        return lr;
    }
  }
}

// The gradient lab in a worker: one lab (one cell kind) per worker, so the
// three cells train side by side. Each call trains a few steps and returns
// every step's loss and accuracy with the last step's per-step gradient
// norms, so the page draws often.

import { createEngine, type Backend, type Engine } from "../engine.ts";
import { GatedError } from "../errors.ts";
import { GradientLab, type LabConfig, type LabStep, type LabTrace } from "./gradient-lab.ts";

/** What a slice of training did: each step's loss and accuracy, and the last step whole. */
export interface LabSlice {
  steps: number[];
  loss: number[];
  accuracy: number[];
  gradNorm: number[];
  last: LabStep;
}

export class GradientLabService {
  private engine: Engine | null = null;
  private lab: GradientLab | null = null;

  constructor(private readonly backend?: Backend) {}

  /** A fresh lab with these settings (the previous one is given up). */
  async configure(config: LabConfig): Promise<void> {
    this.dispose();
    this.engine = await createEngine({ seed: config.seed ?? 1, ...(this.backend ? { backend: this.backend } : {}) });
    this.lab = new GradientLab(this.engine, config);
  }

  /** Trains `count` steps. */
  train(count: number): LabSlice {
    if (!this.lab) throw new GatedError("configure() the lab first");
    if (!(Number.isInteger(count) && count >= 1)) throw new GatedError(`count must be a positive integer, got ${count}`);
    const lab = this.lab;
    const taken = Array.from({ length: count }, () => lab.step());
    return { steps: taken.map((s) => s.step), loss: taken.map((s) => s.loss), accuracy: taken.map((s) => s.accuracy), gradNorm: taken.map((s) => s.gradNorm), last: taken[count - 1] };
  }

  /** One fresh sequence followed forward and back through the lab's network as it is now. */
  trace(): LabTrace {
    if (!this.lab) throw new GatedError("configure() the lab first");
    return this.lab.trace();
  }

  dispose(): void {
    this.lab?.dispose();
    this.engine?.dispose();
    this.lab = null;
    this.engine = null;
  }
}

// The gradients page's three labs (RNN, LSTM, GRU), each in a worker of its
// own, trained in lockstep slices of a few steps (as many as the slowest
// does in about a tenth of a second) so the charts move as they learn: every
// step's loss and accuracy in plain arrays, and the last step's gradient
// norms at every step k. Start restarts all three with the same settings.

import type { LabCell, LabConfig, LabStep } from "../../../lib/labs/gradient-lab.ts";
import type { LabSlice } from "../../../lib/labs/lab-service.ts";
import { CELLS } from "../../lib/cells.ts";

/** A lab as the page reaches it (a Comlink remote in the app; the service itself in tests). */
export interface LabWorker {
  configure(config: LabConfig): Promise<void>;
  train(count: number): LabSlice | Promise<LabSlice>;
}


/** How much of the last step's gradient reaches the first: ‖∂L/∂h_0‖ / ‖∂L/∂h_{T−1}‖ (0 where truncated BPTT cut it off). */
export const reach = (norms: readonly number[]): number => (norms.length ? norms[0] / norms[norms.length - 1] : NaN);

/** One cell's run: every step's loss and accuracy, and the latest step whole. */
export class CellRun {
  latest = $state.raw<LabStep | null>(null);
  readonly steps: number[] = [];
  readonly loss: number[] = [];
  readonly accuracy: number[] = [];
  readonly gradNorm: number[] = [];
  /** The loss and accuracy averaged over the last 20 steps (one batch is noisy). */
  readonly smoothLoss: number[] = [];
  readonly smoothAccuracy: number[] = [];

  constructor(readonly cell: LabCell) {}

  add(slice: LabSlice): void {
    for (let i = 0; i < slice.steps.length; i++) {
      this.steps.push(slice.steps[i]);
      this.loss.push(slice.loss[i]);
      this.accuracy.push(slice.accuracy[i]);
      this.gradNorm.push(slice.gradNorm[i]);
      this.smoothLoss.push(mean(this.loss, 20));
      this.smoothAccuracy.push(mean(this.accuracy, 20));
    }
    this.latest = slice.last;
  }

  clear(): void {
    for (const a of [this.steps, this.loss, this.accuracy, this.gradNorm, this.smoothLoss, this.smoothAccuracy]) a.length = 0;
    this.latest = null;
  }
}

const mean = (xs: number[], n: number) => {
  const tail = xs.slice(-n);
  return tail.reduce((a, v) => a + v, 0) / tail.length;
};

export class GradientsLab {
  running = $state(false);
  /** Bumped after every slice, so charts redraw. */
  version = $state(0);
  problem = $state<string | null>(null);
  readonly runs = CELLS.map((c) => new CellRun(c));
  private generation = 0;

  /** Steps per slice, adapted so that a slice takes about sliceMs. */
  private perSlice = 1;

  constructor(private readonly workers: Record<LabCell, LabWorker>, private readonly sliceMs = 100) {}

  /** Restarts the three labs with these settings and trains them side by side for `steps` steps (or until paused). */
  async start(config: Omit<LabConfig, "cell">, steps: number): Promise<void> {
    const generation = ++this.generation;
    this.problem = null;
    this.running = true;
    for (const r of this.runs) r.clear();
    this.version++;
    await this.guard(generation, async () => {
      await Promise.all(CELLS.map((cell) => this.workers[cell].configure({ ...config, cell })));
      await this.loop(generation, steps);
    });
  }

  /** Goes on from where the labs are (after a pause), up to `steps` steps in all. */
  async resume(steps: number): Promise<void> {
    if (this.running || !this.runs[0].latest) return;
    this.running = true;
    // The slice that was under way when paused lands first.
    await this.settled;
    const generation = this.generation;
    await this.guard(generation, () => this.loop(generation, steps));
  }

  /** Stops after the slices under way (they are still drawn). */
  pause(): void {
    this.running = false;
  }

  private settled: Promise<unknown> = Promise.resolve();

  private async guard(generation: number, work: () => Promise<void>): Promise<void> {
    const p = work();
    this.settled = p.catch(() => {});
    try {
      await p;
    } catch (e) {
      if (generation === this.generation) this.problem = (e as Error).message;
    } finally {
      if (generation === this.generation) this.running = false;
    }
  }

  get done(): number {
    return this.runs[0].latest?.step ?? 0;
  }

  /** Slices until `steps`, a pause, or a restart (whose labs a late slice must not be drawn into). */
  private async loop(generation: number, steps: number): Promise<void> {
    while (generation === this.generation && this.running && this.done < steps) {
      const count = Math.min(this.perSlice, steps - this.done);
      const started = performance.now();
      const slices = await Promise.all(this.runs.map((r) => this.workers[r.cell].train(count)));
      if (generation !== this.generation) return;
      const took = performance.now() - started;
      this.perSlice = Math.max(1, Math.min(50, Math.round((count * this.sliceMs) / Math.max(1, took))));
      slices.forEach((s, i) => this.runs[i].add(s));
      this.version++;
    }
  }
}

// The shapes page's state: for each of the five shapes, its training (loss
// per epoch as it comes) and its held-out result; one at a time, or all in
// turn, in one worker.

import type { EpochReport } from "../../../lib/worker/service.ts";
import { SHAPE_IDS, type ShapeId, type ShapeOptions, type ShapeResult } from "../../../lib/labs/shapes.ts";
import type { Cell } from "../../lib/cells.ts";

/** The shapes service as the page reaches it (a Comlink remote in the app; the service itself in tests). */
export interface ShapesWorker {
  train(id: ShapeId, options: Omit<ShapeOptions, "onEpoch">, onEpoch?: (epoch: EpochReport) => void): Promise<ShapeResult>;
}

export class ShapeRun {
  state = $state<"idle" | "waiting" | "training" | "done" | "failed">("idle");
  epochs = $state.raw<EpochReport[]>([]);
  result = $state.raw<ShapeResult | null>(null);
  error = $state<string | null>(null);

  constructor(readonly id: ShapeId) {}
}

/** The shapes train with a GRU unless the link names another cell (`#/shapes?cell=lstm`). */
export const SHAPES_CELL: Cell = "gru";

export class ShapesLab {
  cell = $state<Cell>("gru");
  readonly runs = Object.fromEntries(SHAPE_IDS.map((id) => [id, new ShapeRun(id)])) as Record<ShapeId, ShapeRun>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly worker: ShapesWorker, private readonly listen: (fn: (e: EpochReport) => void) => (e: EpochReport) => void = (fn) => fn) {}

  get busy(): boolean {
    return SHAPE_IDS.some((id) => this.runs[id].state === "waiting" || this.runs[id].state === "training");
  }

  /** Trains one shape (after any already asked for). */
  train(id: ShapeId): Promise<void> {
    const run = this.runs[id];
    if (run.state === "waiting" || run.state === "training") return Promise.resolve();
    run.state = "waiting";
    run.error = null;
    const cell = this.cell;
    const next = this.queue.then(async () => {
      run.state = "training";
      run.epochs = [];
      run.result = null;
      try {
        run.result = await this.worker.train(id, { cell }, this.listen((e) => (run.epochs = [...run.epochs, e])));
        run.state = "done";
      } catch (e) {
        run.error = (e as Error).message;
        run.state = "failed";
      }
    });
    this.queue = next;
    return next;
  }

  /** All five, one after another. */
  async trainAll(): Promise<void> {
    await Promise.all(SHAPE_IDS.map((id) => this.train(id)));
  }
}

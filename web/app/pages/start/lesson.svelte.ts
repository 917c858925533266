// The Start page's lesson: a small network (T = 8 symbols, 4 units) learns,
// in a worker, which of A or B began a sequence; meanwhile the student
// follows one sequence through it — forward step by step, the verdict, then
// back through time — from a trace taken at once (so there is something to
// step through within a second) and taken again when learning ends, unless
// the student is in the middle of one.

import type { LabCell, LabConfig, LabTrace } from "../../../lib/labs/gradient-lab.ts";
import type { LabSlice } from "../../../lib/labs/lab-service.ts";
import { CellRun } from "../gradients/lab.svelte.ts";

/** The lab as the page reaches it (a Comlink remote in the app; the service itself in tests). */
export interface LessonWorker {
  configure(config: LabConfig): Promise<void>;
  train(count: number): LabSlice | Promise<LabSlice>;
  trace(): LabTrace | Promise<LabTrace>;
}

/** The lesson's network and how long it learns: small enough to draw, long enough for an LSTM or GRU to learn it. */
export const LESSON = { T: 8, hiddenSize: 4, batchSize: 32, lr: 0.02, seed: 1, forgetBias: 1 } as const;
export const LESSON_STEPS = 600;

/** How a symbol is shown: A and B decide the label, the rest are noise. */
export const symbolName = (s: number): string => "ABwxyz"[s] ?? "?";

/**
 * Where the student is in the sequence: before it (-1), after reading step t
 * (0 … T − 1), at the verdict (T), or back through time at step T − 1 … 0
 * (positions T + 1 … 2T).
 */
export type Position = { phase: "before" } | { phase: "forward"; t: number } | { phase: "verdict" } | { phase: "backward"; t: number };

export function positionAt(index: number, T: number): Position {
  if (index < 0) return { phase: "before" };
  if (index < T) return { phase: "forward", t: index };
  if (index === T) return { phase: "verdict" };
  return { phase: "backward", t: 2 * T - index };
}

export class Lesson {
  cell = $state<LabCell>("lstm");
  trace = $state.raw<LabTrace | null>(null);
  /** See Position; -1 before the first step, 2T at the first step on the way back. */
  index = $state(-1);
  /** Whether the network has learned since the trace was taken. */
  stale = $state(false);
  learning = $state(false);
  problem = $state<string | null>(null);
  /** Bumped after every slice, so charts redraw. */
  version = $state(0);
  /** Every training step's loss and accuracy, as the Gradients page records a cell's run. */
  record = $state.raw(new CellRun("lstm"));
  private generation = 0;

  constructor(private readonly worker: LessonWorker, private readonly sliceSteps = 20) {}

  get T(): number {
    return LESSON.T;
  }

  /** Training steps taken. */
  get done(): number {
    return this.record.latest?.step ?? 0;
  }

  /** The accuracy over the last 20 steps. */
  get accuracyNow(): number {
    return this.record.latest ? (this.record.smoothAccuracy.at(-1) ?? 0) : 0;
  }

  get position(): Position {
    return positionAt(this.index, LESSON.T);
  }


  /** A fresh network of this cell: traced at once, then learning. */
  async start(cell: LabCell = this.cell): Promise<void> {
    const generation = ++this.generation;
    this.cell = cell;
    this.problem = null;
    this.record = new CellRun(cell);
    this.version++;
    this.learning = true;
    try {
      await this.worker.configure({ ...LESSON, cell });
      if (generation !== this.generation) return;
      await this.follow();
      while (generation === this.generation && this.done < LESSON_STEPS) {
        const slice = await this.worker.train(Math.min(this.sliceSteps, LESSON_STEPS - this.done));
        if (generation !== this.generation) return;
        this.record.add(slice);
        this.version++;
        this.stale = true;
      }
      // Learned: show the learned network, unless the student is following a sequence.
      if (generation === this.generation && this.index < 0) await this.follow();
    } catch (e) {
      if (generation === this.generation) this.problem = (e as Error).message;
    } finally {
      if (generation === this.generation) this.learning = false;
    }
  }

  /** A new sequence through the network as it is now, from its start. */
  async follow(): Promise<void> {
    this.trace = await this.worker.trace();
    this.index = -1;
    this.stale = false;
  }

  next(): void {
    if (this.trace && this.index < 2 * LESSON.T) this.index++;
  }

  back(): void {
    if (this.index > -1) this.index--;
  }
}

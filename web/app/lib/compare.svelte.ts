// Compare cells: the page's settings trained three times side by side, with
// an RNN, an LSTM and a GRU, each in a worker of its own on one thread (the
// runs are kept as models like any other, and not checkpointed: a
// comparison is started again, not resumed). Per epoch, every metric of the
// three runs on one chart; at the end, their held-out scores side by side.

import type { EpochReport, TrainingJob } from "../../lib/worker/service.ts";
import { type Cell, CELLS } from "./cells.ts";
import type { MessageKey } from "./i18n/en.ts";
import type { TrainingController } from "./training.svelte.ts";


/** A chart of the comparison: one metric per epoch (1, 2, …), one line per cell (NaN where a run has no such epoch). */
export interface ComparedMetric {
  key: string;
  /** The message that names it. */
  label: MessageKey;
  format: "percent" | "number";
  epochs: number[];
  lines: { cell: Cell; values: number[] }[];
}

export class CellComparison {
  readonly runs: { cell: Cell; controller: TrainingController }[];

  constructor(controllerOf: (cell: Cell) => TrainingController) {
    this.runs = CELLS.map((cell) => ({ cell, controller: controllerOf(cell) }));
  }

  get busy(): boolean {
    return this.runs.some((r) => r.controller.busy);
  }

  get started(): boolean {
    return this.runs.some((r) => r.controller.phase !== "idle");
  }

  /** The job three times, each with its cell and one thread; resolves when all three have finished. */
  async start(job: TrainingJob): Promise<void> {
    await Promise.all(this.runs.map((r) => r.controller.start({ ...job, options: { ...job.options, cell: r.cell }, threads: 1 })));
  }

  async stop(): Promise<void> {
    await Promise.all(this.runs.map((r) => r.controller.stop()));
  }

  /** The per-epoch metrics the runs report (validation loss first), each with every cell's line over the same epochs. */
  metrics(): ComparedMetric[] {
    const reported: [string, MessageKey, ComparedMetric["format"], (e: EpochReport) => number | undefined][] = [
      ["validationLoss", "compare.validationLoss", "number", (e) => e.validationLoss],
      ["validationAccuracy", "compare.validationAccuracy", "percent", (e) => e.validationAccuracy],
      ["perplexity", "compare.perplexity", "number", (e) => e.perplexity],
    ];
    for (const r of this.runs) {
      for (const e of r.controller.epochs) {
        for (const k of Object.keys(e.metrics)) if ((k === "bleu" || k === "exactMatch") && !reported.some(([key]) => key === k)) reported.push([k, k === "bleu" ? "compare.bleu" : "compare.exactMatch", "percent", (x) => x.metrics[k]]);
      }
    }
    const last = Math.max(0, ...this.runs.flatMap((r) => r.controller.epochs.map((e) => e.epoch)));
    const epochs = Array.from({ length: last }, (_, i) => i + 1);
    return reported
      .map(([key, label, format, pick]) => ({
        key, label, format, epochs,
        lines: this.runs.map((r) => ({ cell: r.cell, values: epochs.map((n) => {
          const e = r.controller.epochs.find((x) => x.epoch === n);
          return (e && pick(e)) ?? NaN;
        }) })),
      }))
      .filter((m) => m.lines.some((l) => l.values.some(Number.isFinite)));
  }
}

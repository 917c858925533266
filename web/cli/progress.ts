// Training progress in a terminal: a bar with the running loss, accuracy,
// gradient norm and sequences per second redrawn in place on a TTY, and one
// line per epoch (with validation) always.

import { say } from "./print.ts";
import type { EpochReport, Progress } from "../lib/pipelines/run.ts";

export class ProgressBar {
  private readonly tty = !!process.stderr.isTTY;
  /** The run's epochs, as the last progress report said (the last batch of an epoch always reports). */
  private epochs = 0;

  update(p: Progress): void {
    this.epochs = p.epochs;
    if (!this.tty) return;
    const width = 24;
    const filled = Math.round((width * p.batch) / p.batches);
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    const accuracy = p.accuracy !== undefined ? `  acc ${(100 * p.accuracy).toFixed(1)}%` : "";
    process.stderr.write(`\repoch ${p.epoch}/${p.epochs} ${bar} ${p.batch}/${p.batches}  loss ${p.loss.toFixed(4)}${accuracy}  ‖g‖ ${p.gradNorm.toFixed(2)}  ${p.sequencesPerSecond.toFixed(0)} seq/s  `);
  }

  epoch(e: EpochReport): void {
    this.clear();
    const parts = [`epoch ${e.epoch}/${this.epochs}`, `loss ${e.trainLoss.toFixed(4)}`];
    if (e.trainAccuracy !== undefined) parts.push(`acc ${(100 * e.trainAccuracy).toFixed(1)}%`);
    if (e.validationLoss !== undefined) parts.push(`val loss ${e.validationLoss.toFixed(4)}`);
    if (e.validationAccuracy !== undefined) parts.push(`val acc ${(100 * e.validationAccuracy).toFixed(1)}%`);
    if (e.perplexity !== undefined) parts.push(`perplexity ${e.perplexity.toFixed(2)}`);
    for (const [k, v] of Object.entries(e.metrics)) parts.push(`${k} ${(100 * v).toFixed(1)}%`);
    parts.push(`${e.sequencesPerSecond.toFixed(0)} seq/s`, `${e.seconds.toFixed(1)} s`);
    say(parts.join("  "));
  }

  clear(): void {
    if (this.tty) process.stderr.write("\r\x1b[2K");
  }
}

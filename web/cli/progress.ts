// Training progress in a terminal: a bar with loss and sequences per second
// redrawn in place on a TTY, and one line per epoch (with validation) always.

import type { EpochReport, Progress } from "../lib/training/trainer.ts";

export class ProgressBar {
  private readonly tty = !!process.stderr.isTTY;
  private lastDraw = 0;

  constructor(private readonly epochs: number) {}

  update(p: Progress): void {
    if (!this.tty) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && p.batch < p.batches) return;
    this.lastDraw = now;
    const width = 24;
    const filled = Math.round((width * p.batch) / p.batches);
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    process.stderr.write(`\repoch ${p.epoch}/${this.epochs} ${bar} ${p.batch}/${p.batches}  loss ${p.loss.toFixed(4)}  ${p.sequencesPerSecond.toFixed(0)} seq/s  `);
  }

  epoch(e: EpochReport): void {
    if (this.tty) process.stderr.write("\r\x1b[2K");
    const parts = [`epoch ${e.epoch}/${this.epochs}`, `loss ${e.trainLoss.toFixed(4)}`];
    if (e.trainAccuracy !== undefined) parts.push(`acc ${(100 * e.trainAccuracy).toFixed(1)}%`);
    if (e.validationLoss !== undefined) parts.push(`val loss ${e.validationLoss.toFixed(4)}`);
    if (e.validationAccuracy !== undefined) parts.push(`val acc ${(100 * e.validationAccuracy).toFixed(1)}%`);
    if (e.perplexity !== undefined) parts.push(`perplexity ${e.perplexity.toFixed(2)}`);
    for (const [k, v] of Object.entries(e.metrics)) parts.push(`${k} ${(100 * v).toFixed(1)}%`);
    parts.push(`${e.sequencesPerSecond.toFixed(0)} seq/s`, `${e.seconds.toFixed(1)} s`);
    console.log(parts.join("  "));
  }

  done(): void {
    if (this.tty) process.stderr.write("\r\x1b[2K");
  }
}

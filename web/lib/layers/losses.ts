// Losses over device tensors, each returning the mean and leaving the
// gradient of that mean in a buffer: softmax cross-entropy over classes
// (rows whose target is ignoreIndex count for nothing, e.g. padding),
// binary cross-entropy on logits, and mean squared error.

import type { EngineContext } from "./context.ts";
import { DeviceTensor } from "./device.ts";
import { Buffers } from "../memory/region.ts";

export interface LossResult {
  /** Mean loss over counted rows (or elements). */
  loss: number;
  /** Rows (or elements) counted. */
  count: number;
  /** Gradient of the mean loss w.r.t. the predictions. */
  grad: DeviceTensor;
}

export class Losses {
  private readonly buffers: Buffers;

  constructor(private readonly ctx: EngineContext) {
    this.buffers = new Buffers(ctx.arena);
  }

  /** logits: M rows of C classes; targets: M class ids (host array, copied). */
  crossEntropy(logits: DeviceTensor, targets: ArrayLike<number>, ignoreIndex = -100): LossResult {
    const C = logits.shape[logits.shape.length - 1];
    const M = logits.size / C;
    const t = this.buffers.get("targets", M);
    this.ctx.heap.i32.set(targets, t >> 2);
    let count = 0;
    for (let i = 0; i < M; i++) if (targets[i] !== ignoreIndex) count++;
    const grad = this.buffers.get("grad", M * C);
    const sum = this.ctx.kernels.softmaxCrossEntropy(M, C, logits.ptr, C, t, ignoreIndex, grad, C, count ? 1 / count : 0);
    return { loss: count ? sum / count : 0, count, grad: new DeviceTensor(this.ctx, grad, logits.shape) };
  }

  /** logits and targets (in [0, 1]) of the same size. */
  bceWithLogits(logits: DeviceTensor, targets: ArrayLike<number>): LossResult {
    return this.elementwise(logits, targets, (n, t, g) => this.ctx.kernels.bceWithLogits(n, logits.ptr, t, g, 1 / n));
  }

  meanSquaredError(predictions: DeviceTensor, targets: ArrayLike<number>): LossResult {
    return this.elementwise(predictions, targets, (n, t, g) => this.ctx.kernels.squaredError(n, predictions.ptr, t, g, 1 / n));
  }

  dispose(): void {
    this.buffers.releaseAll();
  }

  private elementwise(x: DeviceTensor, targets: ArrayLike<number>, kernel: (n: number, t: number, g: number) => number): LossResult {
    const n = x.size;
    const t = this.buffers.get("targets", n);
    this.ctx.heap.f.set(targets, t >> 2);
    const grad = this.buffers.get("grad", n);
    return { loss: kernel(n, t, grad) / n, count: n, grad: new DeviceTensor(this.ctx, grad, x.shape) };
  }
}

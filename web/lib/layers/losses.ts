// Losses over device tensors, each returning the mean and leaving the
// gradient of that mean in a buffer: softmax cross-entropy over classes
// (rows whose target is ignoreIndex count for nothing, e.g. padding),
// binary cross-entropy on logits, and mean squared error.

import { GatedError } from "../errors.ts";
import { assertFinite } from "../tensor.ts";
import type { EngineContext } from "./context.ts";
import { checkIndices } from "./indices.ts";
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
    this.buffers = new Buffers(ctx.arena, "these losses");
  }

  /** logits: M rows of C classes; targets: M class ids (host array, copied). */
  crossEntropy(logits: DeviceTensor, targets: ArrayLike<number>, ignoreIndex = -100): LossResult {
    const C = logits.shape[logits.shape.length - 1];
    const M = logits.size / C;
    checkCount("cross-entropy", targets, M);
    checkIndices(targets, { where: "cross-entropy", name: (i) => `target ${i}`, min: 0, max: C - 1, except: ignoreIndex });
    const t = this.buffers.get("targets", M);
    this.ctx.heap.i32.set(targets, t >> 2);
    let count = 0;
    for (let i = 0; i < M; i++) if (targets[i] !== ignoreIndex) count++;
    const grad = this.buffers.get("grad", M * C);
    const sum = this.ctx.kernels.softmaxCrossEntropy(M, C, logits.ptr, C, t, grad, C, ignoreIndex, count ? 1 / count : 0);
    return { loss: count ? sum / count : 0, count, grad: new DeviceTensor(this.ctx, grad, logits.shape) };
  }

  /** logits and targets (in [0, 1]) of the same size. */
  bceWithLogits(logits: DeviceTensor, targets: ArrayLike<number>): LossResult {
    checkCount("binary cross-entropy", targets, logits.size);
    for (let i = 0; i < targets.length; i++) {
      if (!(targets[i] >= 0 && targets[i] <= 1)) throw new GatedError(`binary cross-entropy: target ${i} is ${targets[i]}; targets must be in [0, 1]`);
    }
    return this.elementwise(logits, targets, (n, t, g) => this.ctx.kernels.bceWithLogits(n, logits.ptr, t, g, 1 / n));
  }

  meanSquaredError(predictions: DeviceTensor, targets: ArrayLike<number>): LossResult {
    checkCount("squared error", targets, predictions.size);
    assertFinite("squared error: the targets", targets);
    return this.elementwise(predictions, targets, (n, t, g) => this.ctx.kernels.squaredError(n, predictions.ptr, t, g, 1 / n));
  }

  dispose(): void {
    this.buffers.close();
  }

  private elementwise(x: DeviceTensor, targets: ArrayLike<number>, kernel: (n: number, t: number, g: number) => number): LossResult {
    const n = x.size;
    const t = this.buffers.get("targets", n);
    this.ctx.heap.f.set(targets, t >> 2);
    const grad = this.buffers.get("grad", n);
    return { loss: kernel(n, t, grad) / n, count: n, grad: new DeviceTensor(this.ctx, grad, x.shape) };
  }
}

function checkCount(where: string, targets: ArrayLike<number>, expected: number): void {
  if (targets.length !== expected) throw new GatedError(`${where}: ${targets.length} targets for ${expected} predictions`);
}

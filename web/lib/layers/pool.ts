// Pooling a sequence (T×B×W, time-major) over time into one vector per
// sequence: the mean or the maximum over its real steps. ("Last step" is the
// recurrent layer's hN and needs no layer.)

import type { EngineContext } from "./context.ts";
import { DeviceTensor } from "./device.ts";
import { checkLengthsAt } from "./indices.ts";
import { Module } from "./module.ts";

export type PoolMode = "mean" | "max";

export class Pool extends Module {
  private shape: [number, number, number] = [0, 0, 0];
  private lengths = 0;

  constructor(ctx: EngineContext, readonly mode: PoolMode) {
    super(ctx);
  }

  forward(x: DeviceTensor, lengths = 0): DeviceTensor {
    const [T, B, W] = x.shape;
    checkLengthsAt(this.ctx.heap.i32, lengths, B, T, `${this.mode} pooling`);
    const out = this.buffers.get("out", B * W);
    if (this.mode === "mean") this.ctx.kernels.poolMeanForward(T, B, W, x.ptr, lengths, out);
    else this.ctx.kernels.poolMaxForward(T, B, W, x.ptr, lengths, out, this.buffers.get("argmax", B * W));
    this.shape = [T, B, W];
    this.lengths = lengths;
    return new DeviceTensor(this.ctx, out, [B, W]);
  }

  /** dx (T×B×W) from gout (B×W). */
  backward(gout: number): DeviceTensor {
    const [T, B, W] = this.shape;
    const dx = this.buffers.get("dx", T * B * W);
    if (this.mode === "mean") this.ctx.kernels.poolMeanBackward(T, B, W, gout, this.lengths, dx);
    else this.ctx.kernels.poolMaxBackward(T, B, W, gout, this.buffers.get("argmax", B * W), dx);
    return new DeviceTensor(this.ctx, dx, [T, B, W]);
  }
}

// Inverted dropout (torch.nn.Dropout): in training mode each value is zeroed
// with probability p and the rest scaled by 1/(1 − p); identity in evaluation.

import { GatedError } from "../errors.ts";
import type { EngineContext } from "./context.ts";
import { DeviceTensor } from "./device.ts";
import { Module } from "./module.ts";

export class Dropout extends Module {
  private active = false;
  private n = 0;

  constructor(ctx: EngineContext, readonly p: number) {
    super(ctx);
    if (!(p >= 0 && p < 1)) throw new GatedError(`dropout: p must be a probability in [0, 1), got ${p}`);
  }

  /** Returns x itself when inactive, else a masked copy. */
  forward(x: DeviceTensor): DeviceTensor {
    this.active = this.training && this.p > 0;
    this.n = x.size;
    if (!this.active) return x;
    const k = this.ctx.kernels;
    const mask = this.buffers.get("mask", x.size);
    const y = this.buffers.get("y", x.size);
    k.dropoutMask(x.size, this.ctx.rngState, mask, this.p);
    k.mul(x.size, x.ptr, mask, y);
    return new DeviceTensor(this.ctx, y, x.shape);
  }

  /** Masks the gradient in place (a no-op when forward was the identity). */
  backward(dy: number): number {
    if (this.active) this.ctx.kernels.mul(this.n, dy, this.buffers.get("mask", this.n), dy);
    return dy;
  }
}

// How a bidirectional output's two directions combine (Keras' merge_mode):
// concat keeps [forward; reverse] (2H wide), sum / mean / mul reduce to H.

import { MERGE_MODES } from "../backends/kernels.ts";
import type { EngineContext } from "./context.ts";
import { DeviceTensor } from "./device.ts";
import { Module } from "./module.ts";

/** Every merge a bidirectional layer takes: concat, or one the kernel reduces with. */
export const MERGES = ["concat", "sum", "mean", "mul"] as const satisfies readonly ("concat" | keyof typeof MERGE_MODES)[];
export type MergeMode = (typeof MERGES)[number];

export class Merge extends Module {
  private x: DeviceTensor | null = null;

  constructor(ctx: EngineContext, readonly mode: MergeMode) {
    super(ctx);
  }

  /** Width of the merged rows for a layer of hidden size H. */
  width(H: number): number {
    return this.mode === "concat" ? 2 * H : H;
  }

  /** x: rows of 2H (forward then reverse); leading dimensions kept. */
  forward(x: DeviceTensor): DeviceTensor {
    this.x = x;
    if (this.mode === "concat") return x;
    const H = x.shape[x.shape.length - 1] / 2;
    const M = x.size / (2 * H);
    const y = this.buffers.get("y", M * H);
    this.ctx.kernels.mergeForward(M, H, MERGE_MODES[this.mode], x.ptr, y);
    return new DeviceTensor(this.ctx, y, [...x.shape.slice(0, -1), H]);
  }

  /** dx (rows of 2H) from dy. */
  backward(dy: number): number {
    const x = this.x!;
    if (this.mode === "concat") return dy;
    const H = x.shape[x.shape.length - 1] / 2;
    const M = x.size / (2 * H);
    const dx = this.buffers.get("dx", M * 2 * H);
    this.ctx.kernels.mergeBackward(M, H, MERGE_MODES[this.mode], x.ptr, dy, dx);
    return dx;
  }
}

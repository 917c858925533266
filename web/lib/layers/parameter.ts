// A trainable tensor in engine memory: its value, its gradient and the name
// and shape it has in a PyTorch state dict.

import type { Tensor } from "../tensor.ts";
import { numel } from "../tensor.ts";
import type { EngineContext } from "./context.ts";

export class Parameter {
  readonly size: number;

  constructor(
    readonly name: string,
    readonly shape: number[],
    /** Pointer to the values (may belong to another engine over the same memory). */
    readonly value: number,
    /** Pointer to the gradient, owned by the layer that holds this parameter. */
    readonly grad: number,
  ) {
    this.size = numel(shape);
  }

  read(ctx: EngineContext, ptr: number = this.value): Tensor {
    const start = ptr >> 2;
    return { shape: [...this.shape], data: ctx.heap.f.slice(start, start + this.size) };
  }

  write(ctx: EngineContext, data: ArrayLike<number>): void {
    ctx.heap.f.set(data, this.value >> 2);
  }
}

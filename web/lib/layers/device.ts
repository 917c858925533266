// A tensor living in engine memory: a pointer and a shape. Layers hand these
// to each other, so a model's step copies nothing between layers; `data` is a
// live view (recreated on each access, so it survives memory.grow) and
// `read()` a copy. Valid until the producing layer's next call.

import type { FloatArray } from "../memory/heap.ts";
import { numel, type Tensor } from "../tensor.ts";
import type { EngineContext } from "./context.ts";

export class DeviceTensor {
  readonly size: number;

  constructor(
    private readonly ctx: EngineContext,
    readonly ptr: number,
    readonly shape: number[],
  ) {
    this.size = numel(shape);
  }

  get data(): FloatArray {
    return this.ctx.heap.f.subarray(this.ptr >> 2, (this.ptr >> 2) + this.size);
  }

  read(): Tensor {
    return { shape: [...this.shape], data: this.data.slice() };
  }
}

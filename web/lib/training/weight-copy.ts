// A copy of a model's weights in engine memory: the last weights that gave a
// finite loss (to put back when an update spoils them) and the best epoch's
// (early stopping).

import type { EngineContext } from "../layers/context.ts";
import type { Parameter } from "../layers/parameter.ts";
import type { Tensor } from "../tensor.ts";

/** A copy of all parameter values in engine memory, to put back later. */
export class WeightCopy {
  private readonly ptrs: number[];

  constructor(private readonly ctx: EngineContext, private readonly params: readonly Parameter[]) {
    this.ptrs = ctx.arena.atomically(() => params.map((p) => ctx.arena.alloc(p.size * 4)));
  }

  save(): void {
    this.params.forEach((p, i) => this.ctx.kernels.copyRows(1, p.size, p.value, p.size, this.ptrs[i], p.size));
  }

  restore(): void {
    this.params.forEach((p, i) => this.ctx.kernels.copyRows(1, p.size, this.ptrs[i], p.size, p.value, p.size));
  }

  read(names: readonly string[]): Record<string, Tensor> {
    const F = this.ctx.heap.f;
    return Object.fromEntries(this.params.map((p, i) => [names[i], { shape: [...p.shape], data: F.slice(this.ptrs[i] >> 2, (this.ptrs[i] >> 2) + p.size) }]));
  }

  write(tensors: Record<string, Tensor>, names: readonly string[]): void {
    this.params.forEach((p, i) => this.ctx.heap.f.set(p.check(tensors[names[i]], "best weights"), this.ptrs[i] >> 2));
  }

  release(): void {
    for (const ptr of this.ptrs) this.ctx.arena.release(ptr);
  }
}

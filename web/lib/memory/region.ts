// A named set of memory blocks that grow on demand: per-call buffers (inputs,
// outputs, caches) are sized for the largest call seen and then reused.

import type { Arena } from "./arena.ts";

export class Buffers {
  private readonly blocks = new Map<string, { ptr: number; floats: number }>();

  constructor(private readonly arena: Arena) {}

  /** Pointer to at least `floats` floats under this name; contents survive only while the size fits. */
  get(name: string, floats: number): number {
    const block = this.blocks.get(name);
    if (block && block.floats >= floats) return block.ptr;
    // Allocate before releasing, so a refused request leaves the old block intact.
    const ptr = this.arena.alloc(Math.max(floats, 1) * 4);
    if (block) this.arena.release(block.ptr);
    this.blocks.set(name, { ptr, floats });
    return ptr;
  }

  releaseAll(): void {
    for (const { ptr } of this.blocks.values()) this.arena.release(ptr);
    this.blocks.clear();
  }
}

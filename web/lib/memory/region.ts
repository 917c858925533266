// A named set of memory blocks that grow on demand: per-call buffers (inputs,
// outputs, caches) are sized for the largest call seen and then reused.

import { GatedError } from "../errors.ts";
import type { Arena } from "./arena.ts";

export class Buffers {
  private readonly blocks = new Map<string, { ptr: number; floats: number }>();
  private closed = false;

  /** `owner` names what the buffers belong to in the error a use after close gets. */
  constructor(private readonly arena: Arena, private readonly owner = "this object") {}

  /** Pointer to at least `floats` floats under this name; contents survive only while the size fits. */
  get(name: string, floats: number): number {
    this.arena.assertOpen();
    if (this.closed) throw new GatedError(`${this.owner} was disposed; create a new one`);
    const block = this.blocks.get(name);
    if (block && block.floats >= floats) return block.ptr;
    // Allocate before releasing, so a refused request leaves the old block intact.
    const ptr = this.arena.alloc(Math.max(floats, 1) * 4);
    if (block) this.arena.release(block.ptr);
    this.blocks.set(name, { ptr, floats });
    // A failed attempt frees this block (see Arena.atomically); the name must not point at it then.
    this.arena.onRollback(() => {
      if (this.blocks.get(name)?.ptr === ptr) this.blocks.delete(name);
    });
    return ptr;
  }

  /** Frees every block; any later get() is refused. */
  close(): void {
    for (const { ptr } of this.blocks.values()) this.arena.release(ptr);
    this.blocks.clear();
    this.closed = true;
  }
}

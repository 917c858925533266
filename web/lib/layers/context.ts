// What a layer needs from its engine; the Engine implements it. Kept apart so
// layers do not depend on how engines are created.

import type { Kernels } from "../backends/kernels.ts";
import type { Arena } from "../memory/arena.ts";
import type { Heap } from "../memory/heap.ts";
import type { Random } from "../util/random.ts";

export interface EngineContext {
  readonly kernels: Kernels;
  readonly heap: Heap;
  readonly arena: Arena;
  readonly random: Random;
  /** Scratch shared by all layers of the engine, valid until the next call. */
  workspace(floats: number): number;
  scratch(floats: number): number;
  /** Pointer to this engine's dropout generator state (one u32). */
  readonly rngState: number;
}

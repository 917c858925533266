// The arena and the heap views: aligned blocks, reuse and coalescing, growth
// up to a limit, and typed views (and results) that survive memory.grow.

import { describe, expect, it } from "vitest";
import { createEngine, GatedError } from "../../web/lib/index.ts";
import { ALIGN, Arena } from "../../web/lib/memory/arena.ts";
import { Heap } from "../../web/lib/memory/heap.ts";

const PAGE = 65536;

describe("Arena", () => {
  it("hands out aligned, disjoint blocks and reuses released ones first-fit", () => {
    const memory = new WebAssembly.Memory({ initial: 4, maximum: 4 });
    const arena = new Arena(memory, 100, 4 * PAGE, 4 * PAGE, false);
    const a = arena.alloc(10);
    const b = arena.alloc(1000);
    const c = arena.alloc(64);
    for (const p of [a, b, c]) expect(p % ALIGN).toBe(0);
    expect(a).toBeGreaterThanOrEqual(100);
    expect(b).toBeGreaterThanOrEqual(a + 64);
    expect(c).toBeGreaterThanOrEqual(b + 1000);
    expect(arena.usedBytes).toBe(64 + 1024 + 64);
    arena.release(a);
    arena.release(b);
    // a and b coalesced: a block of their combined size fits where a was
    expect(arena.alloc(64 + 1024)).toBe(a);
    expect(() => arena.release(12345)).toThrow(GatedError);
  });

  it("keeps the most bytes ever in use (a refused attempt's rollback included) until resetPeak", () => {
    const memory = new WebAssembly.Memory({ initial: 4, maximum: 4 });
    const arena = new Arena(memory, 0, 4 * PAGE, 4 * PAGE, false);
    const a = arena.alloc(1024);
    const b = arena.alloc(2048);
    arena.release(a);
    expect(arena.usedBytes).toBe(2048);
    expect(arena.peakBytes).toBe(3072);
    expect(() => arena.atomically(() => [arena.alloc(4096), arena.alloc(10 * PAGE)])).toThrow(GatedError);
    expect(arena.usedBytes).toBe(2048);
    expect(arena.peakBytes).toBe(2048 + 4096);
    arena.resetPeak();
    expect(arena.peakBytes).toBe(2048);
    arena.release(b);
    expect(arena.peakBytes).toBe(2048);
  });

  it("grows the memory when growable, up to the limit, and refuses beyond it", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 10 });
    const arena = new Arena(memory, PAGE / 2, PAGE, 4 * PAGE, true);
    const big = arena.alloc(2 * PAGE);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 2 * PAGE);
    expect(() => arena.alloc(3 * PAGE)).toThrow(/exceeds the engine's limit of 0.3 MiB/);
    arena.release(big);
    expect(arena.alloc(2 * PAGE)).toBe(big);
  });

  it("does not grow a fixed region (a worker's share of memory)", () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 10 });
    const arena = new Arena(memory, PAGE, 2 * PAGE, 2 * PAGE, false);
    arena.alloc(PAGE / 2);
    expect(() => arena.alloc(PAGE)).toThrow(/exceeds/);
    expect(memory.buffer.byteLength).toBe(2 * PAGE);
  });
});

describe("Heap views", () => {
  it.each(["float32", "float64"] as const)("%s views see the same values after memory.grow", (precision) => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const heap = new Heap(memory, precision);
    heap.f[10] = 1.5;
    heap.i32[20] = -7;
    const before = heap.f;
    memory.grow(2);
    expect(heap.f === before).toBe(false);
    expect(heap.f.length).toBe((3 * PAGE) / 4);
    expect(heap.f[10]).toBe(1.5);
    expect(heap.i32[20]).toBe(-7);
    expect(heap.f instanceof (precision === "float32" ? Float32Array : Float64Array)).toBe(true);
  });
});

describe("engine memory growth", () => {
  it("keeps weights and results of existing layers when later allocations grow memory", async () => {
    const engine = await createEngine({ backend: "wasm-simd", initialMemoryMB: 1, seed: 8 });
    const lstm = engine.lstm({ inputSize: 3, hiddenSize: 4 });
    const x = { shape: [2, 1, 3], data: [0.1, 0.2, 0.3, -0.1, 0.5, 0.9] };
    const before = lstm.forward(x);
    const size = engine.memory.buffer.byteLength;
    engine.gru({ inputSize: 300, hiddenSize: 300, numLayers: 2 });
    expect(engine.memory.buffer.byteLength).toBeGreaterThan(size);
    expect(lstm.forward(x)).toEqual(before);
  });

  it("returns a disposed layer's memory: repeated create/forward/dispose cycles do not leak", async () => {
    const engine = await createEngine({ backend: "js", seed: 9 });
    const cycle = () => {
      const gru = engine.gru({ inputSize: 8, hiddenSize: 16, bidirectional: true });
      gru.forward({ shape: [5, 2, 8], data: new Float32Array(80) });
      const peak = engine.arena.usedBytes;
      gru.dispose();
      return { peak, after: engine.arena.usedBytes };
    };
    const first = cycle();
    const second = cycle();
    expect(first.after).toBeLessThan(first.peak);
    expect(second).toEqual(first);
  });
});

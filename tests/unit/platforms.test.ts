// Platforms that lack something the engine likes to use. Where there is no
// WebAssembly at all (iOS Lockdown Mode, hardened browsers), the JS twin
// takes over: the service picks it by itself, trains on one thread over plain
// memory, and says why; asking for a Wasm backend is refused with the reason
// (Node without WebAssembly stands in for it). Where shared memory with a
// large maximum is refused (Safari on iOS: "RangeError: Out of memory"), the
// engine asks for less, and failing that trains unshared, on one thread.

import { spawnSync } from "node:child_process";
import { afterEach, expect, it } from "vitest";
import { createEngine, GatedError } from "../../web/lib/index.ts";

const lib = new URL("../../web/lib/index.ts", import.meta.url).href;

function withoutWasm(script: string) {
  const r = spawnSync(process.execPath, ["--noexpose-wasm", "--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 120_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

it("trains and predicts with the JS twin, on one thread, and refuses a Wasm backend with the reason", () => {
  const r = withoutWasm(`
    const { createEngine, TrainingService, GatedError } = await import(${JSON.stringify(lib)});
    console.log("wasm", typeof WebAssembly);
    try { await createEngine({ backend: "wasm-simd" }); } catch (e) { console.log("refused", e instanceof GatedError, e.message); }
    const s = new TrainingService({});
    const items = Array.from({ length: 60 }, (_, i) => ({ text: i % 2 ? "good film" : "bad film", label: i % 2 ? "pos" : "neg" }));
    const info = await s.start({ kind: "classifier", items, threads: 2, options: { epochs: 3, hiddenSize: 8, embeddingDim: 8, lr: 0.02 } });
    console.log("run", info.backend, info.variant, info.threads, info.threadsNote);
    await s.run();
    const [p] = await s.predict({ texts: ["good film"] });
    console.log("label", p.label);
  `);
  expect(r.err).toBe("");
  expect(r.out).toMatch(/^wasm undefined$/m);
  expect(r.out).toMatch(/^refused true this platform runs no WebAssembly \(Lockdown Mode, or a hardened browser\); use backend "js"$/m);
  expect(r.out).toMatch(/^run js js 1 this engine.s memory is not shared \(this browser runs no WebAssembly\), so training runs on one thread$/m);
  expect(r.out).toMatch(/^label pos$/m);
});

const RealMemory = WebAssembly.Memory;
afterEach(() => {
  WebAssembly.Memory = RealMemory;
});

/** A platform that refuses shared memories whose maximum exceeds `pages` (its one-page feature probe passes). */
function refuseSharedAbove(pages: number): void {
  WebAssembly.Memory = class extends RealMemory {
    constructor(d: WebAssembly.MemoryDescriptor) {
      if (d.shared && (d.maximum ?? 0) > pages) throw new RangeError("Out of memory");
      super(d);
    }
  } as typeof WebAssembly.Memory;
}

it("asks for a smaller shared memory where a large maximum is refused, and keeps that limit", async () => {
  refuseSharedAbove((512 * 1048576) / 65536);
  const engine = await createEngine({ maxMemoryMB: 2048, shared: true });
  expect(engine.shared).toBe(true);
  // The arena's limit is what the platform granted: a request beyond it is refused by the engine, not the platform.
  let error: unknown;
  try {
    engine.arena.alloc(600 * 1048576);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GatedError);
  expect((error as Error).message).toMatch(/exceeds the engine's limit of 512.0 MiB/);
});

it("trains unshared where no shared memory is granted, unless sharing was demanded", async () => {
  refuseSharedAbove(1);
  const engine = await createEngine({ maxMemoryMB: 1024 });
  expect(engine.shared).toBe(false);
  const lstm = engine.lstm({ inputSize: 2, hiddenSize: 3 });
  expect(lstm.forward({ shape: [4, 1, 2], data: new Float32Array(8).fill(0.5) }).output.shape).toEqual([4, 1, 3]);
  await expect(createEngine({ maxMemoryMB: 1024, shared: true })).rejects.toThrow(/this platform refused shared memory of even 256 MiB/);
});

it("an engine build given for the wrong kind of memory (unshared build, shared memory) is refused with a GatedError", async () => {
  const { readFileSync } = await import("node:fs");
  const unshared = await WebAssembly.compile(readFileSync(new URL("../../web/wasm/gated.simd.wasm", import.meta.url)));
  await expect(createEngine({ module: unshared, shared: true })).rejects.toThrow(GatedError);
  await expect(createEngine({ module: unshared, shared: true })).rejects.toThrow(/the engine build cannot run over this memory/);
  expect((await createEngine({ module: unshared, shared: false })).shared).toBe(false);
});

// Where a platform has no WebAssembly at all (iOS Lockdown Mode, hardened
// browsers), the JS twin takes over: the service picks it by itself, trains
// on one thread over plain memory, and says why; asking for a Wasm backend
// is refused with the reason. Node without WebAssembly stands in for it.

import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";

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

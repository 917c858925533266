// The kernel contract (web/lib/backends/kernels.ts) against what the engine
// builds export: exactly the contract's functions, each with its arity, and a
// module that does not match is refused at load with what is wrong.

import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { checkKernels } from "../../web/lib/backends/kernels.ts";
import { KERNEL_ARITY } from "../../web/lib/backends/kernels.ts";
import { createEngine, GatedError } from "../../web/lib/index.ts";

// Node 20 compiles the relaxed-SIMD builds only behind this flag.
setFlagsFromString("--experimental-wasm-relaxed-simd");

const BUILDS = ["simd", "simd-shared", "scalar", "scalar-shared", "relaxed", "relaxed-shared"];

function functionExports(build: string): string[] {
  const module = new WebAssembly.Module(readFileSync(new URL(`../../web/wasm/gated.${build}.wasm`, import.meta.url)));
  return WebAssembly.Module.exports(module).filter((e) => e.kind === "function").map((e) => e.name);
}

describe("the kernel contract", () => {
  it("every build exports exactly the contract's kernels (nothing unused)", () => {
    const contract = Object.keys(KERNEL_ARITY).sort();
    for (const build of BUILDS) expect(functionExports(build).sort(), build).toEqual(contract);
  });

  it("the JS twin serves the same contract", async () => {
    const engine = await createEngine({ backend: "js" });
    const k = engine.kernels as unknown as Record<string, unknown>;
    expect(Object.keys(k).sort()).toEqual(Object.keys(KERNEL_ARITY).sort());
  });

  it("refuses a module whose kernel is missing or takes another number of arguments, naming each", async () => {
    const engine = await createEngine({ backend: "wasm-simd" });
    const real = engine.kernels as unknown as Record<string, unknown>;
    const exports = { ...real, fill: (n: number, p: number) => n + p, lstmWork: undefined };
    let error: unknown;
    try {
      checkKernels(exports);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatedError);
    expect((error as Error).message).toMatch(/fill takes 2 arguments, the contract 3/);
    expect((error as Error).message).toMatch(/lstmWork is missing/);
    expect(checkKernels(real)).toBe(real);
    engine.dispose();
  });

  it("workspace sizes come from the kernels: each build's covers its blocking", async () => {
    const engine = await createEngine({ backend: "wasm-simd" });
    const k = engine.kernels;
    // gemmTN's transposed A block (64×256 floats) is part of every backward's workspace.
    expect(k.linearWork(1, 1, 1)).toBeGreaterThanOrEqual(64 * 256);
    // LSTM, 128 units, 64 inputs: the packed recurrent weights (128 × 512) dominate a short sequence.
    expect(k.lstmWork(2, 1, 64, 128)).toBeGreaterThanOrEqual(128 * 512);
    expect(k.gruWork(2, 1, 64, 128, true)).toBeGreaterThanOrEqual(128 * 384);
    expect(k.gruWork(2, 1, 64, 128, false)).toBeGreaterThanOrEqual(128 * 256 + 128 * 128);
    engine.dispose();
  });
});

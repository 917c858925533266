// The relaxed-SIMD (FMA) build against PyTorch. Node 20 runs relaxed SIMD only
// behind a V8 flag, so the check runs in a child node started with it.

import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("relaxed-SIMD build", () => {
  it("is chosen where the platform has relaxed SIMD and matches every PyTorch case", () => {
    const script = new URL("../helpers/relaxed-check.mjs", import.meta.url).pathname;
    const out = execFileSync(process.execPath, ["--experimental-wasm-relaxed-simd", script], { encoding: "utf8" });
    const { variant, results } = JSON.parse(out);
    expect(variant).toBe("relaxed");
    expect(Object.keys(results).length).toBeGreaterThanOrEqual(14);
    for (const [name, excess] of Object.entries(results)) expect(excess, name).toBeLessThanOrEqual(0);
  });
});

// The Speed page's benchmark suite (here in Node, where relaxed SIMD is off):
// a peak record per build, a bench/results record per system, the engines'
// losses checked against plain SIMD's, and the page's view of it.

import { describe, expect, it } from "vitest";
import { runSuite } from "../../web/lib/bench/suite.ts";
import { toJsonl } from "../../web/lib/bench/record.ts";
import { resultsByWorkload } from "../../web/app/pages/speed/results.ts";

describe("the benchmark suite", () => {
  it("measures each build against its own peak, checks that the engines agree, and says what it could not run", async () => {
    const progress: number[] = [];
    const machine = { cpus: 2, cpu: null, node: null, platform: "test" };
    const run = await runSuite({ workloads: ["rnn-128"], threads: 1, reps: 2, peakSeconds: 0.05 }, machine, undefined, (p) => progress.push(p.done));
    expect(run.notes).toEqual(["gated wasm-simd (fma): this browser has no relaxed SIMD"]);
    expect(run.records.filter((r) => r.system === "peak").map((r) => r.variant)).toEqual(["simd", "scalar", "js"]);
    const results = run.records.filter((r) => r.system === "gated");
    expect(results.map((r) => r.variant)).toEqual(["simd", "scalar", "js"]);
    for (const r of results) expect(r).toMatchObject({ workload: "rnn-128", timestamp: run.timestamp, trainReps: 2, machine });
    expect(run.checks.map((c) => c.label)).toEqual(["gated wasm", "gated js"]);
    for (const c of run.checks) expect(c.difference).toBeLessThan(1e-4);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(4 + 4);
    expect(toJsonl(run.records).trim().split("\n").map((l) => JSON.parse(l))).toEqual(run.records);
    const [view] = resultsByWorkload(run);
    expect(view.about).toBe("vanilla RNN, 128 units, 64 steps, batch 32, 64 inputs");
    expect(view.rows.find((r) => r.variant === "js")!.overJs).toBe(1);
    expect(view.rows.find((r) => r.variant === "simd")!.difference).toBeUndefined();
    await expect(runSuite({ workloads: ["lstm-9"], threads: 1 }, machine, undefined)).rejects.toThrow(/unknown workload "lstm-9"/);
  }, 120_000);
});

// The Speed page's benchmark suite (here in Node, where relaxed SIMD is off):
// a peak record per build, a bench/results record per system, the engines'
// losses checked against plain SIMD's, and the page's view of it.

import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-web";
import { describe, expect, it } from "vitest";
import { type InferencePeer, runSuite } from "../../web/lib/bench/suite.ts";
import { workloadData } from "../../web/lib/bench/workloads.ts";
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

  it("times the caller's inference peers (here ONNX Runtime Web on the committed ONNX network) after Gated, and says which could not start", async () => {
    const closed: string[] = [];
    ort.env.wasm.numThreads = 1;
    const onnx: InferencePeer = {
      system: "ort-web", backend: "wasm", variant: "ort", label: "ort-web wasm ×1", threads: 1,
      async open(w) {
        if (w.id !== "gru-128") return null;
        const session = await ort.InferenceSession.create(readFileSync(new URL("../../bench/fixtures/gru-128.onnx", import.meta.url)), { executionProviders: ["wasm"] });
        const x = new ort.Tensor("float32", workloadData(w).features!, [w.T, w.B, w.I]);
        return { variant: `ort ${ort.env.versions.web}`, infer: async () => void (await session.run({ x })), close: async () => void closed.push(w.id) };
      },
    };
    const broken: InferencePeer = {
      system: "other", backend: "wasm", variant: "other", label: "other ×1", threads: 1,
      open: async () => {
        throw new Error("its engine did not load");
      },
    };
    const machine = { cpus: 2, cpu: null, node: null, platform: "test" };
    const run = await runSuite({ workloads: ["gru-128"], threads: 1, reps: 1, peakSeconds: 0.05 }, machine, undefined, undefined, [onnx, broken]);
    const peer = run.records.find((r) => r.system === "ort-web");
    expect(peer).toMatchObject({ label: "ort-web wasm ×1", workload: "gru-128", threads: 1, trainSeqPerS: null, gflops: null, peakMemoryBytes: null });
    expect(peer!.variant).toMatch(/^ort 1\.\d+/);
    expect(peer!.inferSeqPerS).toBeGreaterThan(0);
    expect(closed).toEqual(["gru-128"]);
    expect(run.notes).toContain("other ×1 could not start: its engine did not load");
    const [view] = resultsByWorkload(run);
    expect(view.rows.find((r) => r.inferOnly)!.inferOverOrt).toBe(1);
    const simd = view.rows.find((r) => r.variant === "simd")!;
    expect(simd.inferOnly).toBe(false);
    expect(simd.inferOverOrt).toBeGreaterThan(0);
  }, 180_000);
});

// The benchmark as a browser page runs it, in a worker: the standard
// workloads on every build this device has — Wasm SIMD with FMA (relaxed
// SIMD, where the browser has it), plain Wasm SIMD, scalar Wasm, the JS twin
// — and data-parallel on 2…N threads; each build's peak measured in the same
// run; and, for inference, the peers the caller brings (the Speed page:
// ONNX Runtime Web). Results are bench/results records (see record.ts); every
// system's losses are checked against plain SIMD's, from the same weights and data.

import { createEngine, type EngineOptions } from "../engine.ts";
import { GatedError } from "../errors.ts";
import type { ParallelOptions } from "../parallel/data-parallel.ts";
import { measurePeak } from "./peak.ts";
import { type BenchRecord, type Machine, resultRecord, type SystemRun } from "./record.ts";
import { timeOnce } from "./timing.ts";
import { dataParallelRunner, gatedRunner, type MemoryUse, type Workload, WORKLOADS } from "./workloads.ts";

export interface SuitePlan {
  /** Workload ids (see WORKLOADS). */
  workloads: string[];
  /** Data-parallel runs on 2 … this many threads (1: none). */
  threads: number;
  /** Timed calls per system and workload (after two warm-up steps). */
  reps?: number;
  /** Seconds each build's peak is probed. */
  peakSeconds?: number;
}

export interface SuiteProgress {
  done: number;
  total: number;
  /** What runs now. */
  label: string;
}

export interface AgreementCheck {
  label: string;
  workload: string;
  /** Largest relative difference of its training losses from plain SIMD's, step by step. */
  difference: number;
}

export interface SuiteRun {
  timestamp: string;
  records: BenchRecord[];
  checks: AgreementCheck[];
  /** Why some systems did not run (no shared memory for threads, …). */
  notes: string[];
}

/** Another runtime timed on the same workloads' inference (it cannot train here). */
export interface InferencePeer extends SystemRun {
  /** A session of the workload's network on this peer, or null where the peer has none. */
  open(w: Workload): Promise<PeerSession | null>;
}

export interface PeerSession {
  /** The peer's build, e.g. its version ("ort 1.30.0"). */
  variant: string;
  infer(): Promise<void>;
  /** Ends the session and whatever threads it started: an idle pool takes CPU from what is timed next. */
  close(): Promise<void>;
}

interface Build {
  label: string;
  options: EngineOptions;
  /** The variant it must be (the FMA build exists only where the browser has relaxed SIMD). */
  variant: string;
}

const BUILDS: Build[] = [
  { label: "gated wasm-simd (fma)", options: { backend: "wasm-simd" }, variant: "relaxed" },
  { label: "gated wasm-simd", options: { backend: "wasm-simd", relaxedSimd: false }, variant: "simd" },
  { label: "gated wasm", options: { backend: "wasm" }, variant: "scalar" },
  { label: "gated js", options: { backend: "js" }, variant: "js" },
];

export async function runSuite(
  plan: SuitePlan, machine: Machine, spawn: ParallelOptions["spawn"], onProgress?: (p: SuiteProgress) => void, peers: InferencePeer[] = [],
): Promise<SuiteRun> {
  const timestamp = new Date().toISOString().replace(/[:.]/g, "-");
  const workloads = plan.workloads.map((id) => {
    const w = WORKLOADS.find((x) => x.id === id);
    if (!w) throw new GatedError(`unknown workload "${id}"; the workloads are ${WORKLOADS.map((x) => x.id).join(", ")}`);
    return w;
  });
  const reps = plan.reps ?? 3;
  const records: BenchRecord[] = [];
  const checks: AgreementCheck[] = [];
  const notes: string[] = [];

  // The builds this browser has, and their peaks.
  const builds: (Build & { peak: number })[] = [];
  const threadCounts = Array.from({ length: Math.max(0, plan.threads - 1) }, (_, i) => i + 2);
  const total = BUILDS.length + workloads.length * (BUILDS.length + threadCounts.length + peers.length);
  let done = 0;
  const step = (label: string) => onProgress?.({ done: done++, total, label });
  for (const b of BUILDS) {
    step(`measuring the peak of ${b.label}`);
    const engine = await createEngine({ ...b.options, seed: 1 });
    if (engine.variant !== b.variant) {
      notes.push(`${b.label}: this browser has no relaxed SIMD`);
      engine.dispose();
      continue;
    }
    const peak = measurePeak(engine.kernels, plan.peakSeconds ?? 0.2);
    records.push({ timestamp, system: "peak", backend: engine.backend, variant: engine.variant, threads: 1, ...peak, machine });
    builds.push({ ...b, peak: peak.gflops });
    engine.dispose();
  }
  const simd = builds.find((b) => b.variant === "simd")!;
  const best = builds[0];

  for (const w of workloads) {
    let reference: number[] | null = null;
    const measure = async (run: SystemRun, peak: number, r: { train: () => number | Promise<number>; infer: () => unknown; memory?: () => MemoryUse }) => {
      const losses = [await r.train(), await r.train()];
      const train: number[] = [];
      const infer: number[] = [];
      for (let i = 0; i < reps; i++) {
        let loss = 0;
        train.push(await timeOnce(async () => (loss = await r.train())));
        losses.push(loss);
        infer.push(await timeOnce(r.infer));
      }
      records.push(resultRecord(timestamp, run, w, train, infer, peak, machine, r.memory?.()));
      if (run.variant === "simd" && run.threads === 1) reference = losses;
      else if (reference) checks.push({ label: run.label, workload: w.id, difference: Math.max(...losses.map((l, i) => Math.abs(l - reference![i]) / Math.abs(reference![i]))) });
    };
    // Plain SIMD first: the others are checked against it.
    for (const b of [simd, ...builds.filter((x) => x !== simd)]) {
      step(`${w.id}: ${b.label}`);
      const engine = await createEngine({ ...b.options, seed: 1 });
      try {
        await measure({ system: "gated", backend: engine.backend, variant: engine.variant, label: b.label, threads: 1 }, b.peak, gatedRunner(engine, w));
      } finally {
        engine.dispose();
      }
    }
    for (const n of threadCounts) {
      step(`${w.id}: ${n} threads`);
      const engine = await createEngine({ ...best.options, seed: 1 });
      const dp = await dataParallelRunner(engine, w, { workers: n, spawn });
      try {
        if (dp.threads < n) {
          if (!notes.includes(dp.reason ?? "")) notes.push(dp.reason ?? `${n} threads could not start`);
          continue;
        }
        await measure({ system: "gated", backend: engine.backend, variant: engine.variant, label: `gated wasm-simd ×${n}`, threads: n }, best.peak, dp);
      } finally {
        await dp.dispose();
        engine.dispose();
      }
    }
    for (const peer of peers) {
      step(`${w.id}: ${peer.label}`);
      let session: PeerSession | null;
      try {
        session = await peer.open(w);
      } catch (e) {
        const note = `${peer.label} could not start: ${(e as Error).message}`;
        if (!notes.includes(note)) notes.push(note);
        continue;
      }
      if (!session) continue;
      try {
        for (let i = 0; i < 2; i++) await session.infer();
        const infer: number[] = [];
        for (let i = 0; i < reps; i++) infer.push(await timeOnce(() => session.infer()));
        const { open: _, ...run } = peer;
        records.push(resultRecord(timestamp, { ...run, variant: session.variant }, w, null, infer, simd.peak, machine));
      } finally {
        await session.close();
      }
    }
  }
  onProgress?.({ done: total, total, label: "done" });
  return { timestamp, records, checks, notes };
}

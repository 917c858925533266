// One benchmark result as a line of bench/results/*.jsonl: the command-line
// benchmark and the playground's Speed page write the same records, so a
// run on a phone can be set beside a run on a workstation.

import type { Peak } from "./peak.ts";
import { summarize } from "./timing.ts";
import { forwardFlops, type MemoryUse, type Workload } from "./workloads.ts";

/** Where the run happened (Node: the CPU and Node's version; a browser: its user agent). */
export interface Machine {
  cpus: number;
  cpu?: string | null;
  node?: string | null;
  platform: string;
}

export interface SystemRun {
  system: string;
  backend: string;
  variant: string;
  label: string;
  threads: number;
}

export interface ResultRecord extends SystemRun {
  timestamp: string;
  workload: string;
  cell: string;
  H: number;
  T: number;
  B: number;
  I: number;
  vocab: number | null;
  /** Training rates and GFLOP/s are null for a system that only infers (ONNX Runtime Web). */
  trainSeqPerS: number | null;
  trainSeqPerSMin: number | null;
  trainSeqPerSMax: number | null;
  trainReps: number;
  inferSeqPerS: number;
  inferSeqPerSMin: number;
  inferSeqPerSMax: number;
  gflops: number | null;
  inferGflops: number;
  /** Training (for a system that only infers: inference) GFLOP/s as a share of the peak of the build that ran, times its threads. */
  peakPercent: number;
  /** Gated on one thread: the engine's peak bytes, and parameters (with gradients and Adam's moments) plus activations; null elsewhere. */
  peakMemoryBytes: number | null;
  essentialMemoryBytes: number | null;
  machine: Machine;
}

export interface PeakRecord extends Peak {
  timestamp: string;
  system: "peak";
  backend: string;
  variant: string;
  threads: 1;
  machine: Machine;
}

export type BenchRecord = ResultRecord | PeakRecord;

/** A system's timings (seconds per training step — null for one that only infers — and per forward, each call) on a workload, as a record. */
export function resultRecord(
  timestamp: string, s: SystemRun, w: Workload, train: number[] | null, infer: number[], peakGflops: number, machine: Machine, memory?: MemoryUse,
): ResultRecord {
  const t = train && summarize(train);
  const i = summarize(infer);
  const gflops = t ? (3 * forwardFlops(w) * w.B) / t.median / 1e9 : null;
  const inferGflops = (forwardFlops(w) * w.B) / i.median / 1e9;
  return {
    timestamp, system: s.system, backend: s.backend, variant: s.variant, label: s.label, workload: w.id, cell: w.cell, H: w.H, T: w.T, B: w.B,
    I: w.I, vocab: w.vocab ?? null, threads: s.threads,
    trainSeqPerS: t ? w.B / t.median : null, trainSeqPerSMin: t ? w.B / t.max : null, trainSeqPerSMax: t ? w.B / t.min : null, trainReps: t?.reps ?? 0,
    inferSeqPerS: w.B / i.median, inferSeqPerSMin: w.B / i.max, inferSeqPerSMax: w.B / i.min,
    gflops, inferGflops,
    peakPercent: (100 * (gflops ?? inferGflops)) / (peakGflops * s.threads),
    peakMemoryBytes: memory?.peakBytes ?? null, essentialMemoryBytes: memory?.essentialBytes ?? null, machine,
  };
}

/** Records as JSONL, one per line. */
export const toJsonl = (records: readonly BenchRecord[]): string => records.map((r) => JSON.stringify(r)).join("\n") + "\n";

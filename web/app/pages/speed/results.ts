// The Speed page's view of a run: per workload, each system's rates with
// its share of the peak, its speed against the JS twin (training) and ONNX
// Runtime Web on one thread (inference), and how far its losses were from
// plain SIMD's.

import { format } from "../../lib/i18n/messages.ts";
import type { Language } from "../../lib/i18n/language.ts";
import type { ResultRecord } from "../../../lib/bench/record.ts";
import type { SuiteRun } from "../../../lib/bench/suite.ts";
import { WORKLOADS } from "../../../lib/bench/workloads.ts";

export interface Row {
  label: string;
  variant: string;
  threads: number;
  train: number;
  trainMin: number;
  trainMax: number;
  infer: number;
  gflops: number;
  peakPercent: number;
  /** Training speed over the JS twin's. */
  overJs: number;
  /** Inference speed over ONNX Runtime Web's on one thread (NaN where it did not run). */
  inferOverOrt: number;
  /** Whether the system only infers (ONNX Runtime Web). */
  inferOnly: boolean;
  /** Largest relative loss difference from plain SIMD (undefined for plain SIMD itself). */
  difference?: number;
}

export interface WorkloadResult {
  workload: string;
  about: string;
  rows: Row[];
}

/** What a workload is, in words. */
export function describeWorkload(id: string, language: Language = "en"): string {
  const w = WORKLOADS.find((x) => x.id === id);
  if (!w) return id;
  const cell = w.cell === "rnn" ? format(language, "speed.rnn") : w.cell.toUpperCase();
  const input = w.vocab ? format(language, "speed.vocab", { vocab: w.vocab.toLocaleString(language), width: w.I }) : format(language, "speed.inputs", { n: w.I });
  return format(language, "speed.workload", { cell, units: w.H, steps: w.T, batch: w.B, input });
}

export function resultsByWorkload(run: SuiteRun): WorkloadResult[] {
  const rows = run.records.filter((r): r is ResultRecord => r.system !== "peak");
  return [...new Set(rows.map((r) => r.workload))].map((workload) => {
    const of = rows.filter((r) => r.workload === workload);
    const js = of.find((r) => r.variant === "js" && r.threads === 1);
    const ort = of.find((r) => r.system === "ort-web" && r.threads === 1);
    return {
      workload,
      about: describeWorkload(workload),
      // NaN stands for a rate a record does not have (ONNX Runtime Web does not train).
      rows: of.map((r) => ({
        label: r.label, variant: r.variant, threads: r.threads, train: r.trainSeqPerS ?? NaN, trainMin: r.trainSeqPerSMin ?? NaN, trainMax: r.trainSeqPerSMax ?? NaN,
        infer: r.inferSeqPerS, gflops: r.gflops ?? NaN, peakPercent: r.peakPercent, overJs: js?.trainSeqPerS && r.trainSeqPerS ? r.trainSeqPerS / js.trainSeqPerS : NaN,
        inferOverOrt: ort ? r.inferSeqPerS / ort.inferSeqPerS : NaN, inferOnly: r.trainSeqPerS === null,
        difference: run.checks.find((c) => c.workload === workload && c.label === r.label)?.difference,
      })),
    };
  });
}

/** A file name for a run's records. */
export const exportName = (run: SuiteRun): string => `gated-bench-${run.timestamp}.jsonl`;

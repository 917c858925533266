// The multiply-add peak of a build, from its probe (assembly/kernels/probe.ts):
// 2 flops per lane per multiply-add, at the slower of the multiply and add
// rates, or at the fused rate where the build has FMA.

import { type Kernels, PROBE_OPS, type ProbeOpCode } from "../backends/kernels.ts";

export interface Peak {
  gflops: number;
  /** Vector (or scalar) operations per second of each probed kind. */
  mulOps: number;
  addOps: number;
  fmaOps?: number;
  lanes: number;
}

/** The best rate over calls of about 20 ms for `seconds`: engines run a loop's first calls in baseline code. */
function rate(k: Kernels, op: ProbeOpCode, seconds: number): number {
  let iterations = 10_000;
  let best = 0;
  const end = performance.now() + 1000 * seconds;
  do {
    const t0 = performance.now();
    k.peakProbe(iterations, op);
    const dt = Math.max((performance.now() - t0) / 1000, 1e-6);
    best = Math.max(best, (12 * iterations) / dt);
    if (dt < 0.02) iterations = Math.ceil(iterations * Math.min(4, 0.02 / dt));
  } while (performance.now() < end);
  return best;
}

export function measurePeak(k: Kernels, seconds = 0.2): Peak {
  const lanes = k.peakProbeLanes();
  const mulOps = rate(k, PROBE_OPS.multiply, seconds);
  const addOps = rate(k, PROBE_OPS.add, seconds);
  if (k.peakProbeFused()) {
    const fmaOps = rate(k, PROBE_OPS.fma, seconds);
    return { gflops: (2 * lanes * fmaOps) / 1e9, mulOps, addOps, fmaOps, lanes };
  }
  return { gflops: (2 * lanes * Math.min(mulOps, addOps)) / 1e9, mulOps, addOps, lanes };
}

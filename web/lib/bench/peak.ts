// The multiply-add peak of a build, from its probe (assembly/kernels/probe.ts):
// 2 flops per lane per multiply-add, at the slower of the multiply and add
// rates, or at the fused rate where the build has FMA.

import type { Kernels } from "../backends/kernels.ts";

export interface Peak {
  gflops: number;
  /** Vector (or scalar) operations per second of each probed kind. */
  mulOps: number;
  addOps: number;
  fmaOps?: number;
  lanes: number;
}

function rate(k: Kernels, kind: number, seconds: number): number {
  for (let i = 0; i < 5; i++) k.peakProbe(kind, 20_000); // let the engine tier the loop up
  let iterations = 100_000;
  for (;;) {
    const t0 = performance.now();
    k.peakProbe(kind, iterations);
    const dt = (performance.now() - t0) / 1000;
    if (dt >= seconds) return (12 * iterations) / dt;
    iterations = Math.ceil(iterations * Math.min(10, (1.2 * seconds) / Math.max(dt, 1e-4)));
  }
}

export function measurePeak(k: Kernels, seconds = 0.2): Peak {
  const lanes = k.peakProbeLanes();
  const mulOps = rate(k, 0, seconds);
  const addOps = rate(k, 1, seconds);
  if (k.peakProbeFused()) {
    const fmaOps = rate(k, 2, seconds);
    return { gflops: (2 * lanes * fmaOps) / 1e9, mulOps, addOps, fmaOps, lanes };
  }
  return { gflops: (2 * lanes * Math.min(mulOps, addOps)) / 1e9, mulOps, addOps, lanes };
}

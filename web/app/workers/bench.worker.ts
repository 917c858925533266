// The benchmark in a browser worker: every backend trains the same small LSTM
// classifier for a few Adam steps and is timed (training and inference), so
// the page can compare speeds and check that the backends agree.

import * as Comlink from "comlink";
import { BACKENDS, createEngine } from "../../lib/index.ts";
import { dataParallelRunner, forwardFlops, gatedRunner, type Workload } from "../../lib/bench/workloads.ts";
import { measurePeak } from "../../lib/bench/peak.ts";
import { summarize } from "../../lib/bench/timing.ts";

export interface BackendResult {
  backend: string;
  variant: string;
  shared: boolean;
  peakGflops: number;
  trainSeqPerS: number;
  inferSeqPerS: number;
  gflops: number;
  /** Loss at each training step, from the same initial weights and data. */
  losses: number[];
}

const api = {
  async run({ steps = 4, reps = 3, workload = { id: "lstm-small", cell: "lstm", B: 8, T: 16, I: 16, H: 32, classes: 2 } as Workload } = {}) {
    const results: BackendResult[] = [];
    for (const backend of BACKENDS) {
      const engine = await createEngine({ backend, seed: 1 });
      const r = gatedRunner(engine, workload);
      const losses = Array.from({ length: steps }, () => r.train());
      const time = (fn: () => unknown) => {
        const samples: number[] = [];
        for (let i = 0; i < reps; i++) {
          const t0 = performance.now();
          fn();
          samples.push((performance.now() - t0) / 1000);
        }
        return summarize(samples).median;
      };
      const train = time(r.train);
      const infer = time(r.infer);
      const gflops = (3 * forwardFlops(workload) * workload.B) / train / 1e9;
      results.push({
        backend, variant: engine.variant, shared: engine.shared, peakGflops: measurePeak(engine.kernels, 0.1).gflops,
        trainSeqPerS: workload.B / train, inferSeqPerS: workload.B / infer, gflops, losses,
      });
    }
    // The same training on two more workers over this worker's shared memory (Web Workers can start workers).
    const engine = await createEngine({ backend: "wasm-simd", seed: 1 });
    const dp = await dataParallelRunner(engine, workload, {
      workers: 2,
      spawn: () => new Worker(new URL("../../lib/parallel/worker.ts", import.meta.url), { type: "module" }) as unknown as Comlink.Endpoint & { terminate(): void },
    });
    const parallelLosses: number[] = [];
    for (let i = 0; i < steps; i++) parallelLosses.push(await dp.train());
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await dp.train();
    const parallel = { threads: dp.threads, reason: dp.reason, losses: parallelLosses, trainSeqPerS: (reps * workload.B) / ((performance.now() - t0) / 1000) };
    await dp.dispose();
    return { crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true, results, parallel };
  },
};

export type BenchApi = typeof api;
Comlink.expose(api);

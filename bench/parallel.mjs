// The workloads trained (and inferred) data-parallel on Node worker threads over one shared memory.
import { createEngine } from "gated";
import { dataParallelRunner as runner } from "../dist/lib/bench/workloads.js";

export async function dataParallelRunner(w, threads, relaxedSimd = false) {
  const engine = await createEngine({ backend: "wasm-simd", relaxedSimd, shared: true, seed: 1 });
  return runner(engine, w, { workers: threads });
}

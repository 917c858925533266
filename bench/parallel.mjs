// The standard workloads trained data-parallel on worker threads over one
// shared memory (dist/lib/parallel): the batch is split across the workers,
// their gradients reduced on the main thread, then one Adam step.
import { createEngine } from "gated";
import { gatedRunner } from "../dist/lib/bench/workloads.js";
import { DataParallel } from "../dist/lib/parallel/data-parallel.js";

export async function dataParallelRunner(w, threads) {
  const engine = await createEngine({ backend: "wasm-simd", relaxedSimd: false, shared: true, seed: 1 });
  const r = gatedRunner(engine, w);
  const dp = await DataParallel.create(engine, r.model, { workers: threads });
  const { T, B } = r.batch;
  // Shards of the batch by sequence, as the model reads them (time-major).
  const shards = dp.split(Array.from({ length: B }, (_, b) => b)).map((rows) => {
    const take = (src, width) => {
      const out = new src.constructor(T * rows.length * width);
      rows.forEach((b, j) => { for (let t = 0; t < T; t++) out.set(src.subarray((t * B + b) * width, (t * B + b + 1) * width), (t * rows.length + j) * width); });
      return out;
    };
    const batch = { T, B: rows.length, lengths: rows.map(() => T), ...(r.batch.ids ? { ids: take(r.batch.ids, 1) } : { features: take(r.batch.features, w.I) }) };
    return { kind: "classifier", batch, labels: rows.map((b) => r.labels[b]) };
  });
  return {
    threads: dp.threads,
    variant: engine.variant,
    train: async () => {
      await dp.step(shards, true);
      r.optimizer.step();
    },
    infer: r.infer,
    dispose: () => dp.dispose(),
  };
}

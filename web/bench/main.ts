// The benchmark page: runs the worker's benchmark and shows a table; tests
// call window.gatedBench.run() directly.

import * as Comlink from "comlink";
import type { BenchApi } from "./bench.worker.ts";

const worker = Comlink.wrap<BenchApi>(new Worker(new URL("./bench.worker.ts", import.meta.url), { type: "module" }));
(window as unknown as { gatedBench: BenchApi }).gatedBench = { run: (o) => worker.run(o) } as BenchApi;

const button = document.querySelector<HTMLButtonElement>("#run")!;
const status = document.querySelector<HTMLElement>("#status")!;
const table = document.querySelector<HTMLTableElement>("#results")!;

button.addEventListener("click", async () => {
  button.disabled = true;
  status.textContent = "running…";
  try {
    const { crossOriginIsolated, results, parallel } = await worker.run({ steps: 5, reps: 5, workload: { id: "lstm-128", cell: "lstm", B: 32, T: 64, I: 64, H: 128, classes: 2 } });
    const row = (values: string[]) => {
      const tr = document.createElement("tr");
      for (const v of values) tr.append(Object.assign(document.createElement("td"), { textContent: v }));
      return tr;
    };
    table.tBodies[0].replaceChildren(
      ...results.map((r) =>
        row([r.backend, r.variant, r.trainSeqPerS.toFixed(0), r.inferSeqPerS.toFixed(0), r.gflops.toFixed(2), `${((100 * r.gflops) / r.peakGflops).toFixed(0)}%`, r.losses.at(-1)!.toFixed(5)]),
      ),
      row([`wasm-simd ×${parallel.threads} workers`, results[0].variant, parallel.trainSeqPerS.toFixed(0), "", "", "", parallel.losses.at(-1)!.toFixed(5)]),
    );
    table.hidden = false;
    status.textContent = `cross-origin isolated: ${crossOriginIsolated}; memory shared with workers: ${results[0].shared}${parallel.reason ? `; ${parallel.reason}` : ""}`;
  } catch (e) {
    status.textContent = `failed: ${(e as Error).message}`;
  } finally {
    button.disabled = false;
  }
});

// ONNX Runtime Web in a worker of its own, the Speed page's inference peer:
// its thread count is fixed when its Wasm starts, and its thread pool must end
// with the session (terminating this worker ends it), or it would take CPU
// from the engines timed next. Its Wasm (about 14 MB) comes from this site,
// fetched only when a run asks for the comparison.

import * as Comlink from "comlink";
import * as ort from "onnxruntime-web/wasm";
import wasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm?url";
import mjs from "onnxruntime-web/ort-wasm-simd-threaded.mjs?url";
import { WORKLOADS, workloadData } from "../../lib/bench/workloads.ts";

let run: (() => Promise<void>) | null = null;

const api = {
  /** Loads the workload's network (an ONNX file written by bench/fixtures/generate_onnx.py); returns ONNX Runtime's version. */
  async open(workload: string, modelUrl: string, threads: number): Promise<string> {
    const w = WORKLOADS.find((x) => x.id === workload);
    if (!w?.I || w.vocab) throw new Error(`no ONNX network for ${workload}`);
    ort.env.wasm.wasmPaths = { wasm: new URL(wasm, import.meta.url).href, mjs: new URL(mjs, import.meta.url).href };
    ort.env.wasm.numThreads = threads;
    const response = await fetch(modelUrl);
    if (!response.ok) throw new Error(`the ONNX network of ${workload} did not load (HTTP ${response.status})`);
    // A pool that spins while idle would take the CPU from the engines timed between calls.
    const extra = { session: { intra_op: { allow_spinning: "0" }, inter_op: { allow_spinning: "0" } } };
    const session = await ort.InferenceSession.create(new Uint8Array(await response.arrayBuffer()), { executionProviders: ["wasm"], extra });
    // The same numbers as Gated's batch, time-major as the exported network reads them.
    const feeds = { x: new ort.Tensor("float32", workloadData(w).features!, [w.T, w.B, w.I]) };
    run = async () => void (await session.run(feeds));
    return ort.env.versions.web ?? "?";
  },
  async infer(): Promise<void> {
    if (!run) throw new Error("open a network first");
    await run();
  },
};

export type OrtApi = typeof api;
Comlink.expose(api);

// The benchmark suite in a browser worker (see lib/bench/suite.ts), with
// data-parallel workers started from here over this worker's shared memory,
// and ONNX Runtime Web as the inference peer when the run asks for it.

import * as Comlink from "comlink";
import { runSuite, type SuitePlan, type SuiteProgress } from "../../lib/bench/suite.ts";
import { ortPeers } from "../lib/ort-peers.ts";

const api = {
  /** With withOrt, ONNX Runtime Web infers too: on one thread, and on the plan's most threads where they can run. */
  run(plan: SuitePlan, onProgress?: (p: SuiteProgress) => void, withOrt = false) {
    const machine = { cpus: navigator.hardwareConcurrency, cpu: null, node: null, platform: navigator.userAgent };
    const spawn = () => new Worker(new URL("../../lib/parallel/worker.ts", import.meta.url), { type: "module" });
    const peers = withOrt ? ortPeers(api.crossOriginIsolated() ? [1, plan.threads] : [1]) : [];
    return runSuite(plan, machine, spawn, onProgress && ((p) => void onProgress(p)), peers);
  },
  crossOriginIsolated: () => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
};

export type BenchApi = typeof api;
Comlink.expose(api);

// The benchmark suite in a browser worker (see lib/bench/suite.ts), with
// data-parallel workers started from here over this worker's shared memory.

import * as Comlink from "comlink";
import type { Endpoint } from "../../lib/parallel/data-parallel.ts";
import { runSuite, type SuitePlan, type SuiteProgress } from "../../lib/bench/suite.ts";

const api = {
  run(plan: SuitePlan, onProgress?: (p: SuiteProgress) => void) {
    const machine = { cpus: navigator.hardwareConcurrency, cpu: null, node: null, platform: navigator.userAgent };
    const spawn = () => new Worker(new URL("../../lib/parallel/worker.ts", import.meta.url), { type: "module" }) as unknown as Endpoint;
    return runSuite(plan, machine, spawn, onProgress && ((p) => void onProgress(p)));
  },
  crossOriginIsolated: () => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
};

export type BenchApi = typeof api;
Comlink.expose(api);

// Starting the training service in a Node worker thread and talking to it
// through Comlink: everything the service does runs off the caller's thread.

import * as Comlink from "comlink";
import type { ServiceHandle } from "./handle.ts";
import type { ServiceOptions, TrainingService } from "./service.ts";

export type { ServiceHandle } from "./handle.ts";

export async function spawnTrainingService(options: Omit<ServiceOptions, "loadPreset" | "spawn"> = {}): Promise<ServiceHandle> {
  const adapter = "comlink/dist/esm/node-adapter.mjs";
  const { Worker } = await import("node:worker_threads");
  const { default: nodeEndpoint } = await import(/* @vite-ignore */ adapter);
  const worker = new Worker(new URL("./node-worker.js", import.meta.url), { workerData: options });
  const service = Comlink.wrap<TrainingService>(nodeEndpoint(worker));
  return {
    service,
    async terminate() {
      service[Comlink.releaseProxy]();
      await worker.terminate();
    },
  };
}

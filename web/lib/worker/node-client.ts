// Starting the training service in a Node worker thread and talking to it
// through Comlink: everything the service does runs off the caller's thread;
// a worker that fails makes every call reject with a GatedError.

import * as Comlink from "comlink";
import { GatedError } from "../errors.ts";
import { clientOf } from "./client.ts";
import type { ServiceHandle } from "./handle.ts";
import type { ServiceOptions, TrainingService } from "./service.ts";

export type { ServiceHandle, TrainingClient } from "./handle.ts";
/** Wraps an event listener for start() and restore(), so that the worker can call it back. */
export { proxy } from "comlink";

export async function spawnTrainingService(options: Omit<ServiceOptions, "loadPreset" | "spawn"> = {}): Promise<ServiceHandle> {
  const adapter = "comlink/dist/esm/node-adapter.mjs";
  const { Worker } = await import("node:worker_threads");
  const { default: nodeEndpoint } = await import(/* webpackIgnore: true */ /* @vite-ignore */ adapter);
  const worker = new Worker(new URL("./node-worker.js", import.meta.url), { workerData: options });
  const failure = new Promise<never>((_, reject) => worker.once("error", (e: Error) => reject(new GatedError(`the training worker failed: ${e.message}`))));
  const remote = Comlink.wrap<TrainingService>(nodeEndpoint(worker));
  const service = clientOf(remote, failure);
  return {
    service,
    async terminate() {
      remote[Comlink.releaseProxy]();
      await worker.terminate();
    },
  };
}

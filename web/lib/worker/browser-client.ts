// Starting the training service in a browser module worker and talking to it
// through Comlink: the engine never runs on the page's thread. The same call
// as in Node (gated/worker resolves to this file in browsers), so code that
// trains in a worker runs in both. The worker is created with
// new Worker(new URL(...)) written out, so that bundlers emit it.

import * as Comlink from "comlink";
import { GatedError } from "../errors.ts";
import { clientOf } from "./client.ts";
import type { ServiceHandle } from "./handle.ts";
import type { ServiceOptions, TrainingService } from "./service.ts";

export type { ServiceHandle, TrainingClient } from "./handle.ts";
/** Wraps an event listener for start() and restore(), so that the worker can call it back. */
export { proxy } from "comlink";

/**
 * Starts the service in a module worker. Training uses more than one thread
 * where the page is cross-origin isolated (COOP/COEP headers). If the worker
 * cannot start (its script missing from the build, workers forbidden), every
 * call on the service is refused with a GatedError saying so.
 */
export async function spawnTrainingService(_options: Omit<ServiceOptions, "loadPreset" | "spawn"> = {}): Promise<ServiceHandle> {
  return connectTrainingService(new Worker(new URL("./browser-worker.js", import.meta.url), { type: "module", name: "gated-training" }));
}

/** The service in a module worker already started (one that runs the service: the playground's serves its own data sets). */
export function connectTrainingService(worker: Worker): ServiceHandle {
  const failure = new Promise<never>((_, reject) => {
    worker.addEventListener("error", (e) =>
      reject(new GatedError(`the training worker failed: ${e.message || "its script could not be loaded (was worker/browser-worker.js emitted by the bundler, and may this page start workers?)"}`)),
    );
  });
  const remote = Comlink.wrap<TrainingService>(worker);
  const service = clientOf(remote, failure);
  return {
    service,
    async terminate() {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

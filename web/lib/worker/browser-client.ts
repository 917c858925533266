// Starting the training service in a browser module worker and talking to it
// through Comlink: the engine never runs on the page's thread. The same call
// as in Node (gated/worker resolves to this file in browsers), so code that
// trains in a worker runs in both. The worker is created with
// new Worker(new URL(...)) written out, so that bundlers emit it.

import * as Comlink from "comlink";
import { GatedError } from "../errors.ts";
import type { ServiceHandle } from "./handle.ts";
import type { ServiceOptions, TrainingService } from "./service.ts";

export type { ServiceHandle } from "./handle.ts";

/**
 * Starts the service in a module worker. Training uses more than one thread
 * where the page is cross-origin isolated (COOP/COEP headers). If the worker
 * cannot start (its script missing from the build, workers forbidden), every
 * call on the service is refused with a GatedError saying so.
 */
export async function spawnTrainingService(_options: Omit<ServiceOptions, "loadPreset" | "spawn"> = {}): Promise<ServiceHandle> {
  const worker = new Worker(new URL("./browser-worker.js", import.meta.url), { type: "module", name: "gated-training" });
  let failed: GatedError | null = null;
  const failure = new Promise<never>((_, reject) => {
    worker.addEventListener("error", (e) => {
      failed = new GatedError(`the training worker failed: ${e.message || "its script could not be loaded (was worker/browser-worker.js emitted by the bundler, and may this page start workers?)"}`);
      reject(failed);
    });
  });
  failure.catch(() => undefined);
  const remote = Comlink.wrap<TrainingService>(worker);
  // Every call races the worker's failure, so a worker that never started is an error, not a wait.
  const service = new Proxy(remote, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function" || typeof key === "symbol") return value;
      return (...args: unknown[]) => {
        if (failed) return Promise.reject(failed);
        return Promise.race([(value as (...a: unknown[]) => Promise<unknown>)(...args), failure]);
      };
    },
  }) as Comlink.Remote<TrainingService>;
  return {
    service,
    async terminate() {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

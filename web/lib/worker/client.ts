// The service as a caller holds it across the worker boundary, in browsers and
// in Node alike: Comlink's remote, with every call racing the worker's failure
// (so a worker that never started, or died, is an error at once rather than a
// wait), and `predict` keeping its type parameter (Comlink's types drop it).

import type * as Comlink from "comlink";
import type { GatedError } from "../errors.ts";
import type { TrainingService } from "./service.ts";

export type TrainingClient = Omit<Comlink.Remote<TrainingService>, "predict"> & Pick<TrainingService, "predict">;

/** The remote service, every call refused once `failure` rejects (with the worker's GatedError). */
export function clientOf(remote: Comlink.Remote<TrainingService>, failure: Promise<never>): TrainingClient {
  let failed: GatedError | null = null;
  failure.catch((e: GatedError) => void (failed = e));
  return new Proxy(remote, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function" || typeof key === "symbol") return value;
      return (...args: unknown[]) => (failed ? Promise.reject(failed) : Promise.race([(value as (...a: unknown[]) => Promise<unknown>)(...args), failure]));
    },
  }) as TrainingClient;
}

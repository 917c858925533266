// What spawnTrainingService returns in Node and in browsers alike.

import type * as Comlink from "comlink";
import type { TrainingService } from "./service.ts";

export interface ServiceHandle {
  service: Comlink.Remote<TrainingService>;
  /** Stops the worker (and any training in it). */
  terminate(): Promise<void>;
}

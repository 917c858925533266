// What spawnTrainingService returns in Node and in browsers alike.

import type { TrainingClient } from "./client.ts";

export type { TrainingClient } from "./client.ts";

export interface ServiceHandle {
  service: TrainingClient;
  /** Stops the worker (and any training in it). */
  terminate(): Promise<void>;
}

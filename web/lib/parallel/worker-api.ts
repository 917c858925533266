// What a data-parallel worker does, reached with Comlink: it attaches an
// engine to its region of the shared memory, builds the model from its
// config, binds its parameters to the main model's weights (nothing is
// copied) and computes gradients (or, evaluating, losses) for the shards it
// is sent. worker.ts serves it in a Web Worker, node-worker.ts in a Node
// worker thread.

import { createEngine, type Backend } from "../engine.ts";
import type { MemoryRegion } from "../engine.ts";
import { createModel, type Model, type ModelConfig } from "../models/create.ts";
import { type Payload, runPayload } from "./payload.ts";

export interface WorkerInit {
  backend: Backend;
  relaxedSimd: boolean;
  memory: WebAssembly.Memory;
  region: MemoryRegion;
  /** Seed of this worker's dropout masks, so that parallel training is reproducible. */
  seed: number;
  config: ModelConfig;
  /** State-dict names → the main model's value pointers. */
  weights: Record<string, number>;
}

let model: Model | null = null;

export const api = {
  /** Returns this worker's gradient pointers by state-dict name, and the build it runs. */
  async init(o: WorkerInit): Promise<{ grads: Record<string, number>; variant: string }> {
    const engine = await createEngine({ backend: o.backend, relaxedSimd: o.relaxedSimd, seed: o.seed, attach: { memory: o.memory, region: o.region } });
    model = createModel(engine, o.config);
    model.bindWeights(o.weights);
    return { grads: Object.fromEntries(model.namedParameters().map(([n, p]) => [n, p.grad])), variant: engine.variant };
  },

  /** Gradients of this shard alone (zeroed first), and its loss. */
  step(payload: Payload, train: boolean) {
    model!.zeroGrad();
    model!.train(train);
    return runPayload(model!, payload, train);
  },

  /** This shard's loss in evaluation mode, forward only. */
  evaluate(payload: Payload) {
    model!.train(false);
    return runPayload(model!, payload, false);
  },
};

export type WorkerApi = typeof api;

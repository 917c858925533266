// A worker that attaches to a region of another engine's shared memory, builds
// a layer over that engine's weights and runs forward + backward on its shard.

import { parentPort, workerData } from "node:worker_threads";
import { createEngine } from "../../web/lib/index.ts";

const { backend, memory, region, descriptor, x, lengths, gradOutput, gradHN } = workerData;
const engine = await createEngine({ backend, attach: { memory, region } });
const layer = engine.attachRecurrent(descriptor);
const f = layer.forward(x, { lengths });
const g = layer.backward({ gradOutput, gradHN });
parentPort!.postMessage({ output: f.output, hN: f.hN, gradX: g.gradX, grads: g.grads, shared: engine.shared });

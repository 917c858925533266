// The training service in a module worker: the engine never runs on the
// page's thread. Built-in data sets come from the app's own data assets, at
// the address the page passes as the worker's name; data-parallel workers
// are started from here.

import * as Comlink from "comlink";
import { TrainingService } from "../../lib/worker/service.ts";
import { presetItems } from "../../lib/data/presets.ts";
import { browserSources } from "../lib/data-assets.ts";

const sources = browserSources(self.name);

const service = new TrainingService({
  loadPreset: (preset, settings, seed) => presetItems(sources, preset, settings, seed),
  spawn: () => new Worker(new URL("../../lib/parallel/worker.ts", import.meta.url), { type: "module" }),
});

Comlink.expose(service);

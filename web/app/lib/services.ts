// One training worker per page, started when the page first trains or
// predicts (so pages keep their models as the user moves between them).

import { connectTrainingService } from "../../lib/worker/browser-client.ts";
import type { TrainingClient } from "../../lib/worker/client.ts";
import * as db from "./db.ts";
import { TrainingController } from "./training.svelte.ts";

const services = new Map<string, TrainingClient>();

export function serviceFor(page: string): TrainingClient {
  let s = services.get(page);
  if (!s) {
    // The worker finds the app's data sets at this address (its name is the one thing a page can give a worker at birth).
    const worker = new Worker(new URL("../workers/training.worker.ts", import.meta.url), { type: "module", name: new URL("data/", document.baseURI).href });
    s = connectTrainingService(worker).service;
    services.set(page, s);
  }
  return s;
}

const controllers = new Map<string, TrainingController>();

/** The page's controller (made once); `checkpointEvery: 0` for runs that are not resumed. */
export function controllerFor(page: string, title: string, { checkpointEvery }: { checkpointEvery?: number } = {}): TrainingController {
  let c = controllers.get(page);
  if (!c) {
    c = new TrainingController({ page, title, service: () => serviceFor(page), store: db, ...(checkpointEvery !== undefined ? { checkpointEvery } : {}) });
    controllers.set(page, c);
  }
  return c;
}

/** Whether any page is training (an update must not reload then). */
export const anyTraining = (): boolean => [...controllers.values()].some((c) => c.busy);

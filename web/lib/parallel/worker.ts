// A data-parallel worker in a browser (a module Web Worker): the worker API
// over the worker's own port. Nothing here waits at the top level, so
// bundlers can emit it in any worker format.

import * as Comlink from "comlink";
import { api } from "./worker-api.ts";

export type { WorkerApi, WorkerInit } from "./worker-api.ts";

Comlink.expose(api);

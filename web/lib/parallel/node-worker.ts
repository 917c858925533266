// A data-parallel worker in a Node worker thread: the worker API over the
// thread's port. Module names are held in variables so that bundlers for
// browsers leave them alone.

import * as Comlink from "comlink";
import { api } from "./worker-api.ts";

const threads = "node:worker_threads";
const adapter = "comlink/dist/esm/node-adapter.mjs";
const { parentPort } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ threads)) as typeof import("node:worker_threads");
const { default: nodeEndpoint } = await import(/* webpackIgnore: true */ /* @vite-ignore */ adapter);
Comlink.expose(api, nodeEndpoint(parentPort));

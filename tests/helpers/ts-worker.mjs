// Entry point for worker_threads that run TypeScript test helpers: registers
// tsx's loader in the worker, then imports the helper named in workerData.
import { register } from "tsx/esm/api";

register();
const { workerData } = await import("node:worker_threads");
await import(workerData.script);

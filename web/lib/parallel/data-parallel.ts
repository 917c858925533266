// Data-parallel training over workers that share one memory. Each worker
// runs the main model's weights (bound, not copied) on its shard of the
// batch; the main thread then adds the workers' gradients in a fixed order,
// each weighted by its share of the batch, so the result is the gradient of
// the whole batch up to float reassociation — and deterministic. One
// optimizer step follows on the main thread. Without shared memory (no
// SharedArrayBuffer, e.g. a page that is not cross-origin isolated) it runs on
// one thread and says why in `reason`.

import * as Comlink from "comlink";
import type { Engine, MemoryRegion } from "../engine.ts";
import { GatedError } from "../errors.ts";
import { sharedMemoryProblem } from "../backends/features.ts";
import { configOf, type Model } from "../models/create.ts";
import type { StepResult } from "../models/classifier.ts";
import { checkParameters, type Parameter } from "../layers/parameter.ts";
import { Module } from "../layers/module.ts";
import { type Payload, runPayload } from "./payload.ts";
import type { WorkerApi } from "./worker-api.ts";

/**
 * Something Comlink can talk to: a Web Worker, or a Node Worker wrapped by
 * comlink's node adapter. `onError`, where given, is told when the worker
 * fails to load or dies, so that a call to it is refused instead of waiting
 * forever (a Web Worker's "error" event is used where it is absent).
 */
export type Endpoint = Comlink.Endpoint & { terminate(): unknown; onError?(listener: (why: string) => void): void };

/** More workers than this is a mistake, not a machine (each takes its region of memory). */
const MAX_WORKERS = 256;

export interface ParallelOptions {
  /** Workers to use (default 2). */
  workers?: number;
  /** Memory for each worker's caches and gradients (default 64 MiB). */
  regionMB?: number;
  /** Starts one worker (default: node-worker.js in a Node worker thread, or worker.js in a module Worker in browsers). */
  spawn?: () => Endpoint | Promise<Endpoint>;
}

interface Remote {
  api: Comlink.Remote<WorkerApi>;
  endpoint: Endpoint;
  grads: Record<string, number>;
  region: MemoryRegion;
}

export class DataParallel {
  /** Threads doing the work: the workers' count, or 1 on the fallback. */
  readonly threads: number;

  private constructor(
    private readonly engine: Engine,
    readonly model: Model,
    private readonly remotes: Remote[],
    /** Why training runs on one thread, when it does. */
    readonly reason?: string,
  ) {
    this.threads = Math.max(1, remotes.length);
  }

  static async create(engine: Engine, model: Model, { workers = 2, regionMB = 64, spawn }: ParallelOptions = {}): Promise<DataParallel> {
    if (!(Number.isInteger(workers) && workers >= 1 && workers <= MAX_WORKERS)) throw new GatedError(`workers must be an integer from 1 to ${MAX_WORKERS}, got ${workers}`);
    if (!(Number.isInteger(regionMB) && regionMB >= 1 && regionMB <= 4096)) throw new GatedError(`regionMB must be an integer from 1 to 4096, got ${regionMB}`);
    if (!(model instanceof Module)) throw new GatedError("DataParallel.create needs a model of this library");
    checkParameters(engine, model.parameters(), "DataParallel.create");
    if (workers === 1) return new DataParallel(engine, model, [], "one worker requested");
    if (!engine.shared) {
      return new DataParallel(engine, model, [], `this engine's memory is not shared (${sharedMemoryProblem() ?? "it was created with shared: false"}), so training runs on one thread`);
    }
    const start = spawn ?? defaultSpawn;
    const config = configOf(model);
    const weights = model.weightPointers();
    const remotes: Remote[] = [];
    try {
      for (let i = 0; i < workers; i++) {
        const endpoint = await start();
        const api = Comlink.wrap<WorkerApi>(endpoint);
        let region: MemoryRegion;
        try {
          region = engine.reserve(regionMB * 1048576);
        } catch (e) {
          await endpoint.terminate();
          throw e;
        }
        remotes.push({ api, endpoint, region, grads: {} });
        const init = await Promise.race([
          api.init({ backend: engine.backend, relaxedSimd: engine.variant === "relaxed", memory: engine.memory, region, seed: engine.random.nextUint32(), config, weights }),
          failure(endpoint, i + 1),
        ]);
        remotes[i].grads = init.grads;
      }
    } catch (e) {
      // A refusal keeps nothing: the workers end and their memory goes back.
      for (const r of remotes) {
        await r.endpoint.terminate();
        engine.arena.release(r.region.base);
      }
      throw e;
    }
    return new DataParallel(engine, model, remotes);
  }

  /**
   * One gradient computation over a batch given as one payload per shard:
   * leaves the whole batch's gradient in the model's parameters and returns
   * the batch's mean loss. Shards run concurrently, one per worker.
   */
  async step(shards: Payload[], train = true): Promise<StepResult> {
    const k = this.engine.kernels;
    const named = this.model.namedParameters();
    let results: StepResult[];
    let grads: Record<string, number>[];
    if (this.remotes.length === 0) {
      // One thread: each shard in turn on the model itself, gradients kept aside to be weighted below.
      results = [];
      grads = [];
      for (const [i, shard] of shards.entries()) {
        this.model.zeroGrad();
        this.model.train(train);
        results.push(runPayload(this.model, shard, train));
        grads.push(this.stash(named, i));
      }
    } else {
      if (shards.length > this.remotes.length) throw new GatedError(`${shards.length} shards for ${this.remotes.length} workers`);
      results = await Promise.all(shards.map((s, i) => this.remotes[i].api.step(s, train)));
      grads = this.remotes.slice(0, shards.length).map((r) => r.grads);
    }
    const total = results.reduce((n, r) => n + r.count, 0);
    for (const [name, p] of named) {
      k.fill(p.size, p.grad, 0);
      grads.forEach((g, i) => k.axpy(p.size, g[name], p.grad, total ? results[i].count / total : 0));
    }
    return combine(results);
  }

  /**
   * The loss (and accuracy counts) of a batch given as one payload per shard,
   * each run forward in evaluation mode on its worker: inference split across
   * threads. No gradient is computed or changed.
   */
  async evaluate(shards: Payload[]): Promise<StepResult> {
    if (this.remotes.length === 0) {
      this.model.train(false);
      return combine(shards.map((s) => runPayload(this.model, s, false)));
    }
    if (shards.length > this.remotes.length) throw new GatedError(`${shards.length} shards for ${this.remotes.length} workers`);
    return combine(await Promise.all(shards.map((s, i) => this.remotes[i].api.evaluate(s))));
  }

  /** Splits a batch into one part per thread (as even as possible, in order). */
  split<E>(examples: E[]): E[][] {
    const n = Math.min(this.threads, examples.length);
    const parts: E[][] = [];
    for (let i = 0, at = 0; i < n; i++) {
      const size = Math.floor(examples.length / n) + (i < examples.length % n ? 1 : 0);
      parts.push(examples.slice(at, (at += size)));
    }
    return parts;
  }

  /** Stops the workers and gives their memory back (unless the engine is gone already, and its memory with it). */
  async dispose(): Promise<void> {
    const remotes = this.remotes.splice(0);
    for (const r of remotes) {
      r.api[Comlink.releaseProxy]();
      await r.endpoint.terminate();
    }
    if (this.engine.arena.closed) return;
    for (const r of remotes) this.engine.arena.release(r.region.base);
    for (const ptr of Object.values(this.stashes).flatMap((s) => Object.values(s))) this.engine.arena.release(ptr);
  }

  private readonly stashes: Record<number, Record<string, number>> = {};

  /** Copies the model's current gradients into shard i's buffers (one-thread mode). */
  private stash(named: [string, Parameter][], i: number): Record<string, number> {
    const s = (this.stashes[i] ??= Object.fromEntries(named.map(([n, p]) => [n, this.engine.arena.alloc(p.size * 4)])));
    for (const [n, p] of named) this.engine.kernels.copyRows(1, p.size, p.grad, p.size, s[n], p.size);
    return s;
  }
}

/** The whole batch's mean loss and counts from its shards' results. */
function combine(results: StepResult[]): StepResult {
  const total = results.reduce((n, r) => n + r.count, 0);
  const correct = results.every((r) => r.correct !== undefined) ? results.reduce((n, r) => n + r.correct!, 0) : undefined;
  return { loss: total ? results.reduce((s, r) => s + r.loss * r.count, 0) / total : 0, count: total, ...(correct !== undefined ? { correct } : {}) };
}

/** Rejects with a GatedError naming the worker and the cause once the worker fails (it never resolves). */
function failure(endpoint: Endpoint, n: number): Promise<never> {
  return new Promise((_, reject) => {
    const fail = (why: string) => reject(new GatedError(`data-parallel worker ${n} failed: ${why}`));
    if (endpoint.onError) endpoint.onError(fail);
    else if (typeof (endpoint as Partial<Worker>).onerror !== "undefined") {
      endpoint.addEventListener("error", (e) => fail((e as ErrorEvent).message || "its script could not be loaded (was parallel/worker.js emitted by the bundler, and may this page start workers?)"));
    }
  });
}

/** A Node worker thread running `url`, as an Endpoint that says when it fails. */
export async function nodeWorkerEndpoint(url: URL): Promise<Endpoint> {
  const threads = "node:worker_threads";
  const adapter = "comlink/dist/esm/node-adapter.mjs";
  const { Worker } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ threads)) as typeof import("node:worker_threads");
  const { default: nodeEndpoint } = await import(/* webpackIgnore: true */ /* @vite-ignore */ adapter);
  const worker = new Worker(url);
  return Object.assign(nodeEndpoint(worker), {
    terminate: () => worker.terminate(),
    onError: (listener: (why: string) => void) => {
      worker.on("error", (e: Error) => listener(e.message));
      worker.on("exit", (code: number) => listener(`it exited (code ${code})`));
    },
  });
}

/** The Node worker's file, in a variable: a bundler for browsers must neither emit nor minify it (webpack would copy it as an asset that its minifier cannot read). */
const NODE_WORKER = "./node-worker.js";

async function defaultSpawn(): Promise<Endpoint> {
  if (typeof process !== "undefined" && process.versions?.node && typeof window === "undefined") return nodeWorkerEndpoint(new URL(/* webpackIgnore: true */ NODE_WORKER, import.meta.url));
  // Written out in full, so that bundlers (Vite, webpack 5, esbuild's and Rollup's plugins) find the worker and emit it as its own chunk.
  return new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
}

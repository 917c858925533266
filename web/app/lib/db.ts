// What the playground keeps on the device, in IndexedDB (through idb): the
// models trained or imported, each page's latest training checkpoint, and
// the Speed page's benchmark runs.
// Every write is one transaction, so a full disk leaves nothing
// half-written; the error says what happened. SharedArrayBuffers and
// Svelte proxies cannot be stored: callers hand plain data and plain bytes.

import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type { EpochReport } from "../../lib/training/session.ts";
import type { Evaluation } from "../../lib/pipelines/pipeline.ts";
import type { PipelineKind } from "../../lib/persist/card.ts";
import type { TrainingJob } from "../../lib/worker/service.ts";
import type { SuiteRun } from "../../lib/bench/suite.ts";

export interface Curves {
  /** Batches done, running training loss and accuracy, and the gradient norm, at each progress report. */
  steps: number[];
  loss: number[];
  accuracy: number[];
  gradNorm: number[];
  /** Per epoch. */
  epochs: EpochReport[];
}

export interface StoredModel {
  id: string;
  name: string;
  kind: PipelineKind;
  /** The page it belongs to (where it opens). */
  page: string;
  createdAt: number;
  /** Where its data came from, for people. */
  data: string;
  evaluation?: Evaluation;
  curves?: Curves;
  options?: Record<string, unknown>;
  /** The model file (safetensors, as `gated` and PyTorch read it). */
  bytes: Uint8Array;
}

export interface StoredCheckpoint {
  page: string;
  job: TrainingJob;
  bytes: Uint8Array;
  savedAt: number;
  epoch: number;
  batch: number;
  epochs: number;
  curves: Curves;
}

interface Schema extends DBSchema {
  models: { key: string; value: StoredModel; indexes: { createdAt: number } };
  checkpoints: { key: string; value: StoredCheckpoint };
  benchmarks: { key: string; value: SuiteRun };
}

let database: Promise<IDBPDatabase<Schema>> | null = null;

function db(): Promise<IDBPDatabase<Schema>> {
  database ??= openDB<Schema>("gated", 2, {
    upgrade(d, from) {
      if (from < 1) {
        d.createObjectStore("models", { keyPath: "id" }).createIndex("createdAt", "createdAt");
        d.createObjectStore("checkpoints", { keyPath: "page" });
      }
      if (from < 2) d.createObjectStore("benchmarks", { keyPath: "timestamp" });
    },
    // A newer version of the app wants to upgrade: let it, and open again on the next use.
    blocking() {
      void database?.then((d) => d.close());
      database = null;
    },
  });
  return database;
}

/** Turns a storage failure into a message a person can act on. */
async function writing<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const name = (e as DOMException).name;
    if (name === "QuotaExceededError") throw new Error(`could not save ${what}: the browser's storage for this site is full; delete models on the Models page or allow more storage`);
    throw new Error(`could not save ${what}: ${(e as Error).message}`);
  }
}

export async function listModels(): Promise<StoredModel[]> {
  return (await (await db()).getAllFromIndex("models", "createdAt")).reverse();
}

export async function getModel(id: string): Promise<StoredModel | undefined> {
  return (await db()).get("models", id);
}

export async function putModel(model: StoredModel): Promise<void> {
  await writing(`the model "${model.name}"`, async () => void (await (await db()).put("models", model)));
}

export async function deleteModel(id: string): Promise<void> {
  await (await db()).delete("models", id);
}

export async function getCheckpoint(page: string): Promise<StoredCheckpoint | undefined> {
  return (await db()).get("checkpoints", page);
}

export async function putCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
  await writing("the training checkpoint", async () => void (await (await db()).put("checkpoints", checkpoint)));
}

export async function deleteCheckpoint(page: string): Promise<void> {
  await (await db()).delete("checkpoints", page);
}

/** Benchmark runs, newest first. */
export async function listBenchmarks(): Promise<SuiteRun[]> {
  return (await (await db()).getAll("benchmarks")).reverse();
}

export async function putBenchmark(run: SuiteRun): Promise<void> {
  await writing("the benchmark", async () => void (await (await db()).put("benchmarks", run)));
}

export async function deleteBenchmark(timestamp: string): Promise<void> {
  await (await db()).delete("benchmarks", timestamp);
}

export const newId = (): string => crypto.randomUUID();

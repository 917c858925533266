// What the playground keeps on the device, in IndexedDB (through idb): the
// models trained or imported, each tab's latest training checkpoint of each
// page (with the uploaded data it trains on, stored once), and the Speed
// page's benchmark runs.
// Every write is one transaction, so a full disk leaves nothing
// half-written; the error says what happened. SharedArrayBuffers and
// Svelte proxies cannot be stored: callers hand plain data and plain bytes.
// A connection the browser closed (site data cleared while the page is
// open) is opened again on the next use.

import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type { EpochReport } from "../../lib/worker/service.ts";
import type { Evaluation } from "../../lib/pipelines/pipeline.ts";
import type { PipelineKind } from "../../lib/pipelines/kind.ts";
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
  /** Which tab's training of which page (`${page} ${tab}`): two tabs never share one. */
  slot: string;
  page: string;
  /** The job; a file's text is kept apart, once per run (see putCheckpoint). */
  job: TrainingJob;
  bytes: Uint8Array;
  savedAt: number;
  epoch: number;
  batch: number;
  epochs: number;
  curves: Curves;
}

/** The text of an uploaded data file a checkpoint's run trains on, under the checkpoint's slot. */
interface StoredData {
  slot: string;
  text: string;
}

interface Schema extends DBSchema {
  models: { key: string; value: StoredModel; indexes: { createdAt: number } };
  checkpoints: { key: string; value: StoredCheckpoint; indexes: { page: string } };
  data: { key: string; value: StoredData };
  benchmarks: { key: string; value: SuiteRun };
}

/** This tab, for as long as it lives (a reload keeps it; sessionStorage is per tab). */
export const tab: string = (() => {
  if (typeof sessionStorage === "undefined") return "tab";
  const id = sessionStorage.getItem("gated-tab") ?? crypto.randomUUID();
  sessionStorage.setItem("gated-tab", id);
  // Held until the tab closes, so other tabs can tell its checkpoints are not orphaned.
  void navigator.locks?.request(`gated-tab ${id}`, () => new Promise(() => {}));
  return id;
})();

const slotOf = (page: string) => `${page} ${tab}`;

let database: Promise<IDBPDatabase<Schema>> | null = null;

function db(): Promise<IDBPDatabase<Schema>> {
  database ??= openDB<Schema>("gated", 3, {
    async upgrade(d, from, _to, tx) {
      if (from < 1) d.createObjectStore("models", { keyPath: "id" }).createIndex("createdAt", "createdAt");
      if (from < 2) d.createObjectStore("benchmarks", { keyPath: "timestamp" });
      if (from < 3) {
        // Checkpoints were one per page; now one per tab and page, the uploaded data apart.
        // Version 2's records are StoredCheckpoints without their slot.
        const earlier: Omit<StoredCheckpoint, "slot">[] = from >= 1 ? await tx.objectStore("checkpoints").getAll() : [];
        if (from >= 1) d.deleteObjectStore("checkpoints");
        d.createObjectStore("checkpoints", { keyPath: "slot" }).createIndex("page", "page");
        d.createObjectStore("data", { keyPath: "slot" });
        for (const c of earlier) await tx.objectStore("checkpoints").put({ ...c, slot: `${c.page} earlier` });
      }
    },
    // A newer version of the app wants to upgrade: let it, and open again on the next use.
    blocking() {
      void database?.then((d) => d.close());
      database = null;
    },
    // The browser closed the connection (site data cleared, say): open again on the next use.
    terminated() {
      database = null;
    },
  });
  return database;
}

/** Runs fn on the database; if the connection was closed under it, once more on a new one. */
async function using<T>(fn: (d: IDBPDatabase<Schema>) => Promise<T>): Promise<T> {
  try {
    return await fn(await db());
  } catch (e) {
    if ((e as DOMException).name !== "InvalidStateError") throw e;
    database = null;
    return fn(await db());
  }
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
  return (await using((d) => d.getAllFromIndex("models", "createdAt"))).reverse();
}

export async function putModel(model: StoredModel): Promise<void> {
  await writing(`the model "${model.name}"`, () => using(async (d) => void (await d.put("models", model))));
}

export async function deleteModel(id: string): Promise<void> {
  await using((d) => d.delete("models", id));
}

/** Whether the tab that wrote a slot is gone (its lock is free). Without Web Locks, every other tab's counts as gone. */
async function orphaned(slot: string): Promise<boolean> {
  const owner = slot.slice(slot.lastIndexOf(" ") + 1);
  if (owner === tab) return false;
  const held = (await navigator.locks?.query())?.held ?? [];
  return !held.some((l) => l.name === `gated-tab ${owner}`);
}

/**
 * The unfinished training of a page to offer: this tab's own, else the
 * newest left by a tab that was closed (never one another open tab is
 * running). A file's text comes back into the job.
 */
export async function findCheckpoint(page: string): Promise<StoredCheckpoint | undefined> {
  const all = (await using((d) => d.getAllFromIndex("checkpoints", "page", page))).sort((a, b) => b.savedAt - a.savedAt);
  let found = all.find((c) => c.slot === slotOf(page));
  for (const c of all) if (!found && (await orphaned(c.slot))) found = c;
  // A job without a file, or one whose text is still inline (kept before the data store existed), is whole.
  if (!found?.job.file || found.job.file.text) return found;
  const data = await using((d) => d.get("data", found.slot));
  return data ? { ...found, job: { ...found.job, file: { ...found.job.file, text: data.text } } } : undefined;
}

/**
 * Keeps this tab's checkpoint of its page. A job's file text is stored only
 * when `withData` is set (once per run), not with every checkpoint: the job
 * is kept without it.
 */
export async function putCheckpoint(checkpoint: Omit<StoredCheckpoint, "slot">, withData: boolean): Promise<void> {
  const slot = slotOf(checkpoint.page);
  const file = checkpoint.job.file;
  const record = { ...checkpoint, slot, job: file ? { ...checkpoint.job, file: { ...file, text: "" } } : checkpoint.job };
  await writing("the training checkpoint", () =>
    using(async (d) => {
      const tx = d.transaction(["checkpoints", "data"], "readwrite");
      if (file && withData) await tx.objectStore("data").put({ slot, text: file.text });
      await tx.objectStore("checkpoints").put(record);
      await tx.done;
    }));
}

/** Drops this tab's checkpoint of a page, or the one given (a closed tab's, once resumed here or discarded). */
export async function deleteCheckpoint(page: string, slot = slotOf(page)): Promise<void> {
  await using(async (d) => {
    const tx = d.transaction(["checkpoints", "data"], "readwrite");
    await Promise.all([tx.objectStore("checkpoints").delete(slot), tx.objectStore("data").delete(slot), tx.done]);
  });
}

/** Benchmark runs, newest first. */
export async function listBenchmarks(): Promise<SuiteRun[]> {
  return (await using((d) => d.getAll("benchmarks"))).reverse();
}

export async function putBenchmark(run: SuiteRun): Promise<void> {
  await writing("the benchmark", () => using(async (d) => void (await d.put("benchmarks", run))));
}

export async function deleteBenchmark(timestamp: string): Promise<void> {
  await using((d) => d.delete("benchmarks", timestamp));
}

export const newId = (): string => crypto.randomUUID();

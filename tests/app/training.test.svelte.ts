// The page's training controller over the real training service (here on
// the test's own thread instead of a worker): it trains, gathers progress
// into the charts' arrays, keeps finished and stopped models and periodic
// checkpoints, resumes from a checkpoint, continues, loads a kept model for
// use, and reports what went wrong.

import { describe, expect, it } from "vitest";
import { TrainingService } from "../../web/lib/worker/service.ts";
import { loadModel } from "../../web/lib/persist/model-file.ts";
import { createEngine } from "../../web/lib/index.ts";
import { type Service, type Store, TrainingController } from "../../web/app/lib/training.svelte.ts";
import type { StoredCheckpoint, StoredModel } from "../../web/app/lib/db.ts";

const text = ["text,label", ...Array.from({ length: 80 }, (_, i) => `"${["great", "lovely"][i % 2]} film ${i}",pos\n"${["awful", "dull"][i % 2]} film ${i}",neg`)].join("\n");
const job = (epochs: number) => ({ kind: "classifier" as const, file: { name: "films.csv", text }, options: { epochs, patience: epochs, hiddenSize: 8, embeddingDim: 8 }, progressInterval: 0 });

/** Models and checkpoints kept in memory (the app keeps them in IndexedDB, tested in Chromium). */
function memoryStore() {
  const models = new Map<string, StoredModel>();
  const checkpoints = new Map<string, StoredCheckpoint>();
  /** How often a checkpoint came with the run's data file (the app stores it apart, once per run). */
  const data = { writes: 0 };
  const store: Store = {
    putModel: async (m) => void models.set(m.id, structuredClone(m)),
    putCheckpoint: async (c, withData) => {
      checkpoints.set(c.page, { ...structuredClone(c), slot: c.page });
      if (withData) data.writes++;
    },
    deleteCheckpoint: async (page) => void checkpoints.delete(page),
  };
  return { store, models, checkpoints, data };
}

/** The JS engine: under jsdom, Vite turns the Wasm files into browser asset addresses. */
const service = () => new TrainingService({ backend: "js" });

function controller(store: Store, s = service(), checkpointEvery = 5000) {
  return new TrainingController({ page: "sentiment", title: "Sentiment", service: () => s as unknown as Service, store, checkpointEvery, frame: (fn) => setTimeout(fn, 0) });
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe("the training controller", () => {
  it("trains to the end: curves gathered, held-out evaluation, the model kept and loadable, no checkpoint left", async () => {
    const { store, models, checkpoints } = memoryStore();
    const c = controller(store);
    await c.start(job(3));
    await settle();
    expect(c.phase).toBe("finished");
    expect(c.error).toBeNull();
    expect(c.info).toMatchObject({ kind: "classifier", threads: 1, variant: "js" });
    expect(c.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(c.curves.steps.length).toBe(c.curves.loss.length);
    expect(c.curves.steps.at(-1)).toBe(3 * Math.ceil(c.info!.sizes.train / 32));
    // Bumped by the reset for the new run, then by every flush of streamed events into the curves.
    expect(c.version).toBeGreaterThanOrEqual(2);
    expect(c.evaluation!.metrics[0].key).toBe("accuracy");
    expect(models.size).toBe(1);
    const kept = models.get(c.savedId!)!;
    expect(kept).toMatchObject({ kind: "classifier", page: "sentiment", data: "films.csv" });
    expect(kept.curves!.epochs).toHaveLength(3);
    const { card } = loadModel(await createEngine({ backend: "js" }), kept.bytes);
    expect(card!.kind).toBe("classifier");
    expect(checkpoints.size).toBe(0);
    expect(c.canPredict).toBe(true);
    const [answer] = await c.predict({ kind: "classifier", texts: ["great film 3"] });
    expect(["pos", "neg"]).toContain(answer.label);
  });

  it("checkpoints while training; a checkpoint resumes in a new controller, on the same curves; stopped, it keeps the model with its best epoch's weights, and no checkpoint", async () => {
    const { store, models, checkpoints, data } = memoryStore();
    const c = controller(store, service(), 30);
    const running = c.start(job(400));
    await new Promise((r) => setTimeout(r, 400));
    expect(c.phase).toBe("running");
    expect(checkpoints.has("sentiment")).toBe(true);
    // Many checkpoints, the uploaded file stored with the first only.
    expect(data.writes).toBe(1);
    // A model in training answers between two batches.
    expect(c.canPredict).toBe(true);
    const [early] = await c.predict({ kind: "classifier", texts: ["great film 3"] });
    expect(["pos", "neg"]).toContain(early.label);
    expect(c.phase).toBe("running");
    // Wait for a few epochs, so that the best one is a choice.
    while (c.epochs.length < 4) await new Promise((r) => setTimeout(r, 20));
    await c.pause();
    expect(c.phase).toBe("paused");
    // What a closed tab would leave: the latest checkpoint.
    const kept = structuredClone(checkpoints.get("sentiment")!);
    expect(kept.epochs).toBe(400);
    await c.stop();
    await running;
    expect(c.phase).toBe("stopped");
    expect(models.size).toBe(1);
    // Nothing left to resume: the stopped run's model is kept, and it holds its best epoch's weights, which it names.
    expect(checkpoints.size).toBe(0);
    const losses = c.epochs.map((e) => e.validationLoss!);
    expect(c.kept).toBe(losses.indexOf(Math.min(...losses)) + 1);
    const points = kept.curves.steps.length;
    expect(points).toBeGreaterThan(0);

    const again = controller(store, service(), 30);
    const resumed = again.resumeFrom(kept);
    await new Promise((r) => setTimeout(r, 200));
    expect(again.phase).toBe("running");
    expect(again.curves.steps.slice(0, points)).toEqual(kept.curves.steps);
    await again.stop();
    await resumed;
    expect(again.curves.steps.length).toBeGreaterThan(points);
    expect(again.curves.steps[points]).toBeGreaterThan(kept.curves.steps[points - 1]);
  });

  it("continues a finished model for more epochs; loads a kept model for use", async () => {
    const { store, models } = memoryStore();
    const c = controller(store);
    await c.start(job(2));
    await c.continue(2);
    await settle();
    expect(c.phase).toBe("finished");
    expect(c.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(models.size).toBe(1); // the same model, kept again
    const user = controller(store);
    expect(user.canPredict).toBe(false);
    expect(c.options).toMatchObject({ epochs: 2, hiddenSize: 8 });
    await user.load([...models.values()][0]);
    expect(user.loaded).toMatchObject({ kind: "classifier" });
    // The page's form shows the loaded model's settings, not the defaults.
    expect(user.options).toMatchObject({ hiddenSize: 8, embeddingDim: 8 });
    expect(user.canPredict).toBe(true);
    expect(user.epochs).toHaveLength(4);
    const [a] = await user.predict({ kind: "classifier", texts: ["lovely film 7"] });
    const [b] = await c.predict({ kind: "classifier", texts: ["lovely film 7"] });
    expect(a.probabilities).toEqual(b.probabilities);
  });

  it("says what went wrong: a malformed file, bad options", async () => {
    const { store } = memoryStore();
    const c = controller(store);
    await c.start({ kind: "classifier", file: { name: "bad.csv", text: 'text,label\n"open,pos\n' } });
    expect(c.phase).toBe("failed");
    expect(c.error).toMatch(/bad.csv, line 2: a quoted field is never closed/);
    await c.start({ ...job(1), options: { hiddenSize: 0 } });
    expect(c.phase).toBe("failed");
    expect(c.error).toMatch(/hiddenSize must be from 1 to 4096, got 0/);
  });

  it("offers a finished model as a download when the device cannot keep it (storage full)", async () => {
    const { store, models } = memoryStore();
    const full: Store = { ...store, putModel: async () => { throw new Error("could not save the model: the browser's storage for this site is full"); } };
    const c = controller(full);
    await c.start(job(1));
    expect(models.size).toBe(0);
    expect(c.error).toMatch(/storage for this site is full. Download the model below to keep it/);
    const { card } = loadModel(await createEngine({ backend: "js" }), c.unsaved!.bytes);
    expect(card!.kind).toBe("classifier");
  });
});

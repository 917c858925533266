// The training service in Node worker threads (the built package, as users
// run it): a job from a user's file and a preset trains off the main thread
// with progress streamed back, pauses and resumes, checkpoints; the model's
// bytes loaded in a second worker give the same predictions; a checkpoint
// resumed in another worker ends exactly where the first run ends.

import * as Comlink from "comlink";
import { describe, expect, it, vi } from "vitest";
import type { ServiceHandle } from "../../web/lib/worker/node-client.ts";

const { spawnTrainingService } = (await import(new URL("../../dist/lib/worker/node-client.js", import.meta.url).href)) as typeof import("../../web/lib/worker/node-client.ts");

const csv = ["text,label", ...Array.from({ length: 120 }, (_, i) => `"${["great", "lovely", "superb"][i % 3]} film ${i}",pos\n"${["awful", "boring", "dull"][i % 3]} film ${i}",neg`)].join("\n");
const job = { kind: "classifier" as const, file: { name: "films.csv", text: csv }, options: { epochs: 30, hiddenSize: 12, embeddingDim: 8, patience: 30 }, progressInterval: 0 };

async function withServices<T>(n: number, fn: (services: ServiceHandle[]) => Promise<T>): Promise<T> {
  const handles = await Promise.all(Array.from({ length: n }, () => spawnTrainingService()));
  try {
    return await fn(handles);
  } finally {
    await Promise.all(handles.map((h) => h.terminate()));
  }
}

describe("the training service in worker threads", () => {
  it("trains a classifier from a file's text with progress, pauses, resumes, checkpoints; its model predicts the same in a second worker", async () => {
    await withServices(2, async ([a, b]) => {
      const progress: number[] = [];
      const epochs: number[] = [];
      const info = await a.service.start(job, Comlink.proxy((e) => (e.type === "progress" ? progress.push(e.progress.steps) : epochs.push(e.epoch.epoch))));
      expect(info).toMatchObject({ kind: "classifier", threads: 1, sizes: { train: 194, validation: 22, test: 24 } });
      expect(info.card.labels).toEqual(["neg", "pos"]);
      const first = await a.service.run({ batches: 3 });
      expect(first).toMatchObject({ state: "ready", batch: 3 });
      const running = a.service.run();
      await a.service.pause();
      expect((await a.service.status()).state).toBe("paused");
      const held = (await a.service.status()).batch;
      await new Promise((r) => setTimeout(r, 100));
      expect((await a.service.status()).batch).toBe(held);
      const checkpoint = await a.service.checkpoint();
      expect(checkpoint.length).toBeGreaterThan(1000);
      await a.service.resume();
      const done = await running;
      expect(done).toMatchObject({ state: "finished", finished: "completed", epoch: 30 });
      // Events travel on the listener's own channel: the last ones may land after run() has answered.
      await vi.waitFor(() => expect(epochs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1)));
      expect(progress).toEqual(Array.from({ length: progress.length }, (_, i) => i + 1));
      const evaluation = await a.service.evaluate();
      expect(evaluation.metrics[0].value).toBeGreaterThan(0.9);
      const request = { kind: "classifier" as const, texts: ["superb film 7", "dull film 7", "film"], steps: true };
      const here = await a.service.predict(request);
      expect(here.map((r) => r.label).slice(0, 2)).toEqual(["pos", "neg"]);
      expect(here[0].steps).toHaveLength(3);
      const loaded = await b.service.load(await a.service.modelFile(), "films.safetensors");
      expect(loaded.card).toMatchObject({ kind: "classifier", labels: ["neg", "pos"], data: { name: "films.csv", items: 240 } });
      expect(await b.service.predict(request)).toEqual(here);
      await expect(b.service.predict({ kind: "forecaster", steps: 3 })).rejects.toThrow(/the request is for a forecaster model, but this model is a classifier/);
    });
  }, 60_000);

  it("a checkpoint resumed in another worker ends exactly as the uninterrupted run; presets load in the worker", async () => {
    await withServices(3, async ([whole, first, second]) => {
      const preset = { preset: "names" as const, settings: { limit: 200 }, options: { epochs: 3, hiddenSize: 16, embeddingDim: 8, patience: 10 } };
      await whole.service.start(preset);
      await whole.service.run();
      await first.service.start(preset);
      await first.service.run({ batches: 7 });
      const bytes = await first.service.checkpoint();
      const info = await second.service.restore(bytes);
      const perEpoch = Math.ceil(info.sizes.train / 32);
      expect(info.status).toMatchObject({ epoch: Math.floor(7 / perEpoch), batch: 7 % perEpoch });
      await second.service.run();
      expect(await second.service.modelFile().then((m) => m.length)).toBe(await whole.service.modelFile().then((m) => m.length));
      const sample = { count: 5, temperature: 0.8 };
      expect(await second.service.predict(sample, 3)).toEqual(await whole.service.predict(sample, 3));
      expect((await second.service.status()).history.map((h) => h.trainLoss)).toEqual((await whole.service.status()).history.map((h) => h.trainLoss));
    });
  }, 60_000);

  it("answers predictions and inspections while it trains on two threads, between batches, leaving the run exactly as it would have been", async () => {
    await withServices(2, async ([quiet, asked]) => {
      const two = { ...job, threads: 2, options: { ...job.options, epochs: 4 } };
      await quiet.service.start(two);
      const plain = await quiet.service.run();
      await asked.service.start(two);
      const running = asked.service.run();
      const answers: { label: string }[][] = [];
      let looks = 0;
      while ((await asked.service.status()).state !== "finished") {
        answers.push(await asked.service.predict({ kind: "classifier", texts: ["superb film 3", "dull film 3"] }));
        const seen = await asked.service.inspect("superb film 3");
        expect(seen.steps[0].tokens).toHaveLength(3);
        looks++;
      }
      const done = await running;
      expect(looks).toBeGreaterThan(3);
      expect(answers.every((a) => a.length === 2)).toBe(true);
      expect(done.history.map((h) => h.trainLoss)).toEqual(plain.history.map((h) => h.trainLoss));
      expect(done.history.map((h) => h.validationLoss)).toEqual(plain.history.map((h) => h.validationLoss));
    });
  }, 60_000);

  it("a pause asked for while a prediction holds the run is kept; resume lets it go on", async () => {
    await withServices(1, async ([s]) => {
      await s.service.start({ ...job, options: { ...job.options, epochs: 200, patience: 200 } });
      const running = s.service.run();
      await s.service.status();
      const [answer] = await Promise.all([s.service.predict({ texts: ["superb film 3"] }), s.service.pause()]);
      expect(answer).toHaveLength(1);
      const held = (await s.service.status()).batch;
      await new Promise((r) => setTimeout(r, 100));
      expect(await s.service.status()).toMatchObject({ state: "paused", batch: held });
      await s.service.predict({ texts: ["dull film 3"] });
      expect((await s.service.status()).state).toBe("paused");
      await s.service.resume();
      expect((await s.service.status()).state).toBe("running");
      await s.service.stop();
      expect((await running).state).not.toBe("paused");
    });
  }, 60_000);

  it("trains on two threads when memory can be shared, and refuses bad jobs with the reason", async () => {
    await withServices(1, async ([s]) => {
      const info = await s.service.start({ ...job, threads: 2 });
      expect(info.threads).toBe(2);
      const done = await s.service.run({ epochs: 2 });
      expect(done.epoch).toBe(2);
      await expect(s.service.start({ preset: "weather" as never })).rejects.toThrow(/unknown preset "weather"/);
      await expect(s.service.start({ kind: "classifier", file: { name: "bad.csv", text: 'text,label\n"open,pos\n' } })).rejects.toThrow(/bad.csv, line 2: a quoted field is never closed/);
      await expect(s.service.start({ ...job, options: { hiddenSize: -1 } })).rejects.toThrow(/hiddenSize must be from 1 to 4096/);
      await expect(s.service.load(new Uint8Array([1, 2, 3]))).rejects.toThrow(/not a valid model file/);
      await expect(s.service.predict({ texts: ["x"] })).rejects.toThrow(/no model: train one or load\(\) one first/);
    });
  }, 60_000);
});

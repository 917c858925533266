// Compare cells over three real training services (on the test's thread):
// the page's job trained with an RNN, an LSTM and a GRU on one thread each,
// each run kept as a model; one chart per metric
// with a line per cell over the same epochs.

import { expect, it } from "vitest";
import { TrainingService } from "../../web/lib/worker/service.ts";
import { loadModel } from "../../web/lib/persist/model-file.ts";
import { createEngine } from "../../web/lib/index.ts";
import { type Service, type Store, TrainingController } from "../../web/app/lib/training.svelte.ts";
import { CellComparison } from "../../web/app/lib/compare.svelte.ts";
import { CELLS } from "../../web/app/lib/cells.ts";
import type { StoredModel } from "../../web/app/lib/db.ts";

const text = ["text,label", ...Array.from({ length: 60 }, (_, i) => `"${["great", "lovely"][i % 2]} film ${i}",pos\n"${["awful", "dull"][i % 2]} film ${i}",neg`)].join("\n");

it("trains the job with each cell side by side, keeps each model, and charts every metric per cell", async () => {
  const models: StoredModel[] = [];
  const store: Store = { putModel: async (m) => void models.push(m), putCheckpoint: async () => {}, deleteCheckpoint: async () => {} };
  const comparison = new CellComparison((cell) => {
    // A service of its own per cell, as each has a worker of its own in the app.
    const service = new TrainingService({ backend: "js" });
    return new TrainingController({ page: `sentiment-${cell}`, title: `Sentiment (${cell})`, service: () => service as unknown as Service, store, checkpointEvery: 0, frame: (fn) => setTimeout(fn, 0) });
  });
  expect(comparison.started).toBe(false);
  await comparison.start({ kind: "classifier", file: { name: "films.csv", text }, options: { epochs: 3, patience: 3, hiddenSize: 8, embeddingDim: 8 }, threads: 2, progressInterval: 0 });
  expect(comparison.busy).toBe(false);
  for (const r of comparison.runs) {
    expect(r.controller.phase, r.cell).toBe("finished");
    expect(r.controller.info!.threads).toBe(1);
    expect(r.controller.options!.cell).toBe(r.cell);
  }
  // Each kept model is the cell it says.
  expect(models.map((m) => m.page).sort()).toEqual(["sentiment-gru", "sentiment-lstm", "sentiment-rnn"]);
  const engine = await createEngine({ backend: "js" });
  for (const m of models) expect(loadModel(engine, m.bytes).config).toMatchObject({ cell: m.page.split("-")[1] });
  const charts = comparison.metrics();
  expect(charts.map((c) => c.key)).toEqual(["validationLoss", "validationAccuracy"]);
  for (const c of charts) {
    expect(c.epochs).toEqual([1, 2, 3]);
    expect(c.lines.map((l) => l.cell)).toEqual([...CELLS]);
    for (const l of c.lines) expect(l.values.every(Number.isFinite)).toBe(true);
  }
});

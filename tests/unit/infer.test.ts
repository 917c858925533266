// The inference entry: a model file in, answers out — the same answers the
// run that trained it gives — and anything that is not a model file refused.

import { expect, it } from "vitest";
import { createEngine, GatedError, PipelineRun, Random, saveModel } from "../../web/lib/index.ts";
import { loadPredictor } from "../../web/lib/infer.ts";
import { dinosaurNames, labelledSentences } from "../../web/lib/data/node-datasets.ts";

it("answers as the trained run does, for a classifier and a language model", async () => {
  const engine = await createEngine({ seed: 1 });
  const classifier = PipelineRun.start(engine, { kind: "classifier", items: labelledSentences().slice(0, 200), origin: { name: "s.csv" }, options: { epochs: 1, hiddenSize: 8, embeddingDim: 8 } });
  await classifier.session.run();
  const p = await loadPredictor(classifier.modelFile());
  expect(p.kind).toBe("classifier");
  const request = { texts: ["The food was wonderful", "Worst phone ever"] };
  expect(p.predict(request)).toEqual(classifier.predict(request));
  const lm = PipelineRun.start(engine, { kind: "language-model", items: dinosaurNames().slice(0, 100), origin: { name: "names" }, options: { epochs: 1, hiddenSize: 8, embeddingDim: 8 } });
  await lm.session.run();
  const names = await loadPredictor(lm.modelFile());
  const sampled = names.predict({ count: 3, temperature: 0.8 }, 5) as { text: string }[];
  expect(sampled).toHaveLength(3);
  expect(sampled.map((s) => s.text)).toEqual((lm.predict({ count: 3, temperature: 0.8 }, new Random(5)) as { text: string }[]).map((s) => s.text));
  p.dispose();
  names.dispose();
});

it("refuses what is not a model file with a task", async () => {
  await expect(loadPredictor(new Uint8Array([1, 2, 3]))).rejects.toThrow(GatedError);
  const engine = await createEngine({ seed: 1 });
  const bare = saveModel(engine.gru({ inputSize: 2, hiddenSize: 3 }));
  await expect(loadPredictor(bare)).rejects.toThrow(/holds a bare layer, not a model with a task/);
});

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
  // A request that names its kind is typed by it: no cast.
  const sampled = names.predict({ kind: "language-model", count: 3, temperature: 0.8 }, 5);
  expect(sampled).toHaveLength(3);
  expect(sampled.map((s) => s.text)).toEqual(lm.predict({ count: 3, temperature: 0.8 }, new Random(5)).map((s) => s.text));
  // Named for another kind, it is refused before the model is asked, by the file's model and by the run alike.
  expect(() => names.predict({ kind: "classifier", texts: ["a"] })).toThrow(/the request is for a classifier model, but this model is a language-model/);
  expect(() => classifier.predict({ kind: "translator", texts: ["a"] } as never)).toThrow(/the request is for a translator model, but this model is a classifier/);
  expect(() => p.predict({ kind: "nonsense", texts: ["a"] } as never)).toThrow(GatedError);
  p.dispose();
  names.dispose();
});

it("refuses what is not a model file with a task", async () => {
  await expect(loadPredictor(new Uint8Array([1, 2, 3]))).rejects.toThrow(GatedError);
  const engine = await createEngine({ seed: 1 });
  const bare = saveModel(engine.gru({ inputSize: 2, hiddenSize: 3 }));
  await expect(loadPredictor(bare)).rejects.toThrow(/holds a bare layer, not a model with a task/);
});

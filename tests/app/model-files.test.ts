// What the Models page says about a model file, read from its header alone:
// its recurrent network in a few words, so that two models can be told apart.

import { expect, it } from "vitest";
import { createEngine, createModel, saveModel } from "../../web/lib/index.ts";
import { architectureOf } from "../../web/app/lib/model-files.ts";

it("names the cell, the direction, the layers and the units of a model file; nothing for a file it cannot read", async () => {
  const engine = await createEngine({ backend: "js", seed: 1 });
  const classifier = (cell: "lstm" | "gru", numLayers: number, bidirectional: boolean) =>
    saveModel(createModel(engine, {
      type: "classifier", input: { vocabSize: 10, embeddingDim: 4 }, cell, hiddenSize: 16, numLayers, bidirectional, merge: "concat",
      dropout: 0, recurrentDropout: 0, pooling: "last", headDropout: 0, classes: 2,
    }));
  expect(architectureOf(classifier("lstm", 2, true))).toBe("bidirectional LSTM, 2 layers of 16 units");
  expect(architectureOf(classifier("gru", 1, false))).toBe("GRU, 16 units");
  expect(architectureOf(new Uint8Array([1, 2, 3]))).toBe("");
});

// What the Models page says about a model file, read from its header alone:
// its recurrent network in a few words, so that two models can be told apart,
// and how to use it from the command line and PyTorch.

import { expect, it } from "vitest";
import { createEngine, createModel, saveModel } from "../../web/lib/index.ts";
import { architectureOf, pytorchSnippet, scoresOf } from "../../web/app/lib/model-files.ts";

it("names the cell, the direction, the layers and the units of a model file; nothing for a file it cannot read", async () => {
  const engine = await createEngine({ backend: "js", seed: 1 });
  const classifier = (cell: "lstm" | "gru", numLayers: number, bidirectional: boolean) =>
    saveModel(createModel(engine, {
      type: "classifier", input: { vocabSize: 10, embeddingDim: 4 }, cell, hiddenSize: 16, numLayers, bidirectional, merge: "concat",
      dropout: 0, recurrentDropout: 0, pooling: "last", headDropout: 0, classes: 2,
    }));
  expect(architectureOf(classifier("lstm", 2, true))).toBe("bidirectional LSTM, 2 layers of 16 units");
  expect(architectureOf(classifier("gru", 1, false))).toBe("GRU, 16 units");
  expect(architectureOf(classifier("lstm", 2, true), "es")).toBe("LSTM bidireccional, 2 capas de 16 unidades");
  expect(architectureOf(new Uint8Array([1, 2, 3]))).toBe("");
});

it("shows the command that uses the file's kind of model, with the file's name, and the torch.nn layer its weights load into", async () => {
  const engine = await createEngine({ backend: "js", seed: 1 });
  const tagger = createModel(engine, {
    type: "tagger", input: { features: 1 }, cell: "lstm", hiddenSize: 8, numLayers: 1, bidirectional: false, merge: "concat",
    dropout: 0, recurrentDropout: 0, head: "regression", headDropout: 0, outputs: 1,
  });
  const data = { name: "co2.csv", items: 10, testFraction: 0.1, seed: 1 };
  const scores = { count: 24, unit: "months", metrics: [{ key: "rmse", label: "RMSE", value: 0.5, format: "number" as const, better: "lower" as const }] };
  const forecaster = saveModel(tagger, { kind: "forecaster", version: 1, data, mean: 0, std: 1, window: 2, tail: [1, 2, 3], scores });
  // An imported file shows the scores it carries.
  expect(scoresOf(forecaster)).toEqual(scores);
  expect(scoresOf(saveModel(tagger, { kind: "forecaster", version: 1, data, mean: 0, std: 1, window: 2, tail: [1, 2, 3] }))).toBeNull();
  const snippet = pytorchSnippet(forecaster, "my co2");
  expect(snippet).toContain("npx gated forecast --model my-co2.safetensors --steps 12");
  expect(snippet).toContain("npx gated export --model my-co2.safetensors --format pytorch --out my-co2-pytorch");
  expect(snippet).toContain("torch.nn.LSTM(input_size=1, hidden_size=8, num_layers=1, bidirectional=False)");
  // Without a card (a bare layer) there is no task for the command line to run.
  expect(pytorchSnippet(saveModel(engine.gru({ inputSize: 3, hiddenSize: 4 })), "layer")).toBe("");
  expect(pytorchSnippet(new Uint8Array([1, 2, 3]), "x")).toBe("(this file's header could not be read)");
});

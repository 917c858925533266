// Looking inside trained models: the encoder's gates over a classified text,
// the language model's over the text it reads, the translator's encoder over
// the source and decoder over its translation, the forecaster's over a series.

import { describe, expect, it } from "vitest";
import { createEngine } from "../../web/lib/index.ts";
import { phrasePairs } from "../../web/lib/data/phrases.ts";
import { co2Series, dinosaurNames } from "../../web/lib/data/node-datasets.ts";
import { PipelineRun } from "../../web/lib/pipelines/run.ts";
import type { PipelineKind } from "../../web/lib/pipelines/kind.ts";

async function trained(kind: PipelineKind, items: unknown[], options: Record<string, unknown>) {
  const run = PipelineRun.start(await createEngine({ seed: 2 }), { kind, items, origin: { name: kind }, options: { epochs: 1, ...options } });
  await run.session.run();
  return run;
}

describe("inspecting a model", () => {
  it("a bidirectional GRU classifier: r, z, n and h of both directions over each word, h matching the encoder's outputs", async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ text: `${i % 2 ? "good" : "bad"} film`, label: i % 2 ? "pos" : "neg" }));
    const run = await trained("classifier", items, { hiddenSize: 6, embeddingDim: 4 });
    const { steps } = run.pipeline.inspect!(run.model, run.card, "Good film!");
    expect(steps).toHaveLength(1);
    expect(steps[0].tokens).toEqual(["good", "film", "!"]);
    expect(Object.keys(steps[0].gates).sort()).toEqual(["l0", "l0_reverse"]);
    for (const key of ["l0", "l0_reverse"]) {
      expect(Object.keys(steps[0].gates[key]).sort()).toEqual(["h", "n", "r", "z"]);
      for (const t of Object.values(steps[0].gates[key])) expect(t.shape).toEqual([3, 1, 6]);
      for (const v of steps[0].gates[key].z.data) expect(v > 0 && v < 1).toBe(true);
    }
    // GRU: h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}, step by step (forward direction, from h_0 = 0).
    const { h, n, z } = steps[0].gates.l0;
    for (let t = 0; t < 3; t++) {
      for (let j = 0; j < 6; j++) {
        const prev = t ? h.data[(t - 1) * 6 + j] : 0;
        expect(h.data[t * 6 + j]).toBeCloseTo((1 - z.data[t * 6 + j]) * n.data[t * 6 + j] + z.data[t * 6 + j] * prev, 5);
      }
    }
  });

  it("an LSTM language model over <s> and the text's characters: i, f, g, o, c and h", async () => {
    const run = await trained("language-model", dinosaurNames().slice(0, 60), { hiddenSize: 8, embeddingDim: 4 });
    const { steps } = run.pipeline.inspect!(run.model, run.card, "rex");
    expect(steps[0].tokens).toEqual(["<s>", "r", "e", "x"]);
    expect(Object.keys(steps[0].gates.l0).sort()).toEqual(["c", "f", "g", "h", "i", "o"]);
    const { f, c, h, o } = steps[0].gates.l0;
    expect(f.shape).toEqual([4, 1, 8]);
    // h = o ⊙ tanh(c), step by step.
    for (let j = 0; j < h.data.length; j++) expect(h.data[j]).toBeCloseTo(o.data[j] * Math.tanh(c.data[j]), 5);
  });

  it("a translator: the encoder over the source and the decoder over <s> and its translation", async () => {
    const run = await trained("translator", phrasePairs(200, 1), { hiddenSize: 8, embeddingDim: 8 });
    const [t] = run.predict({ kind: "translator", texts: ["in 3 days"] });
    const { steps } = run.pipeline.inspect!(run.model, run.card, "in 3 days");
    expect(steps.map((s) => s.label)).toEqual(["encoder", "decoder"]);
    expect(steps[0].tokens).toEqual(["in", "3", "days"]);
    expect(steps[1].tokens).toEqual(["<s>", ...t.targetTokens]);
    expect(steps[1].gates.l0.r.shape).toEqual([t.targetTokens.length + 1, 1, 16]);
    // Words it never saw are named, once each: it reads them as <unk>.
    expect(t.unknownWords).toEqual([]);
    const [odd] = run.predict({ kind: "translator", texts: ["in 3 zebras, zebras"] });
    expect(odd.unknownWords).toEqual(["zebras"]);
    expect(odd.sourceTokens.filter((w) => w === "<unk>")).toHaveLength(2);
  });

  it("a forecaster over a series' changes", async () => {
    const run = await trained("forecaster", co2Series().slice(0, 120), { hiddenSize: 5, window: 8 });
    const { steps } = run.pipeline.inspect!(run.model, run.card, "315, 316, 318.5, 317");
    expect(steps[0].tokens).toEqual(["316", "318.5", "317"]);
    expect(steps[0].gates.l0.z.shape).toEqual([3, 1, 5]);
    expect(() => run.pipeline.inspect!(run.model, run.card, "1, x")).toThrow(/give at least two numbers/);
  });
});

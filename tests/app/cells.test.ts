// What the cells page draws from real models' inspections: a panel per
// reading, layer and direction; each gate's units × steps on its own scale;
// the mean forget (or update) gate per step.

import { describe, expect, it } from "vitest";
import { createEngine } from "../../web/lib/index.ts";
import { PipelineRun } from "../../web/lib/pipelines/run.ts";
import { gatePanels, layerName } from "../../web/app/pages/cells/gates.ts";

async function run(kind: "classifier" | "language-model", items: unknown[], options: Record<string, unknown>) {
  const r = PipelineRun.start(await createEngine({ backend: "js", seed: 3 }), { kind, items, origin: { name: kind }, options: { epochs: 1, ...options } });
  await r.session.run();
  return r;
}

describe("the cells page's heatmaps", () => {
  it("an LSTM language model: i, f, g, o, c, h over units × steps, sigmoid gates on [0, 1], tanh on [−1, 1], c around 0; the mean f per step", async () => {
    const r = await run("language-model", ["abc", "abd", "bcd", "cab", "dab", "bad"], { hiddenSize: 10, embeddingDim: 4 });
    const inspection = r.pipeline.inspect!(r.model, r.card, "abc");
    const [panel] = gatePanels(inspection, 6);
    expect(panel.title).toBe("reading · layer 1");
    expect(panel.tokens).toEqual(["<s>", "a", "b", "c"]);
    expect(panel.units).toBe(6);
    expect(panel.maps.map((m) => m.gate)).toEqual(["i", "f", "g", "o", "c", "h"]);
    const f = inspection.steps[0].gates.l0.f;
    const byGate = Object.fromEntries(panel.maps.map((m) => [m.gate, m]));
    // values[unit][step] = f[step, 0, unit]
    for (let j = 0; j < 6; j++) for (let t = 0; t < 4; t++) expect(byGate.f.values[j][t]).toBe(f.data[t * 10 + j]);
    expect(byGate.f.values).toHaveLength(6);
    expect([byGate.i.domain, byGate.i.diverging]).toEqual([[0, 1], false]);
    expect([byGate.g.domain, byGate.h.diverging]).toEqual([[-1, 1], true]);
    const c = byGate.c.domain[1];
    expect(byGate.c.domain[0]).toBe(-c);
    expect(c).toBeCloseTo(Math.max(...byGate.c.values.flat().map(Math.abs)), 6);
    expect(panel.keep!.gate).toBe("f");
    const mean = Array.from(f.data.subarray(10, 20)).reduce((a, b) => a + b) / 10;
    expect(panel.keep!.values[1]).toBeCloseTo(mean, 6);
  });

  it("a bidirectional GRU classifier: a panel per direction with r, z, n, h and the mean update gate; a vanilla RNN has h alone", async () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ text: `${i % 2 ? "good" : "bad"} film`, label: i % 2 ? "pos" : "neg" }));
    const gru = await run("classifier", items, { cell: "gru", hiddenSize: 5, embeddingDim: 4, bidirectional: true });
    const panels = gatePanels(gru.pipeline.inspect!(gru.model, gru.card, "good film"), 64);
    expect(panels.map((p) => p.title)).toEqual(["encoder · layer 1", "encoder · layer 1, backwards"]);
    for (const p of panels) {
      expect(p.maps.map((m) => m.gate)).toEqual(["r", "z", "n", "h"]);
      expect(p.units).toBe(5);
      expect(p.keep!.gate).toBe("z");
    }
    expect([layerName("l0"), layerName("l1_reverse")]).toEqual(["layer 1", "layer 2, backwards"]);
    const rnn = await run("classifier", items, { cell: "rnn", hiddenSize: 5, embeddingDim: 4, bidirectional: false });
    const [p] = gatePanels(rnn.pipeline.inspect!(rnn.model, rnn.card, "good film"), 64);
    expect(p.maps.map((m) => m.gate)).toEqual(["h"]);
    expect(p.maps[0].domain).toEqual([-1, 1]);
    // A ReLU RNN's states (a model file may hold one) are ≥ 0 and unbounded: drawn from 0 to the largest.
    const h = { shape: [2, 1, 2], data: Float32Array.from([0, 2.5, 0.5, 1]) };
    const [relu] = gatePanels({ steps: [{ label: "text", tokens: ["a", "b"], gates: { l0: { h } } }] }, 8);
    expect([relu.maps[0].domain, relu.maps[0].diverging]).toEqual([[0, 2.5], false]);
    expect(p.keep).toBeUndefined();
  });
});

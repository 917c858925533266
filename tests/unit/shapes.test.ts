// The five shapes' small tasks: each model learns its task (held out where
// the task has more inputs than it trains on), reports a loss per epoch,
// and gives samples with the mistakes first.

import { describe, expect, it } from "vitest";
import { createEngine } from "../../web/lib/index.ts";
import { SHAPE_IDS, trainShape } from "../../web/lib/labs/shapes.ts";

describe("the five shapes", () => {
  it.each(["gru", "lstm"] as const)("with a %s cell, every shape learns its task", async (cell) => {
    for (const id of SHAPE_IDS) {
      const engine = await createEngine({ seed: 1 });
      const epochs: number[] = [];
      const r = await trainShape(engine, id, { cell, onEpoch: (e) => epochs.push(e.trainLoss) });
      expect(r.accuracy, id).toBeGreaterThanOrEqual(0.95);
      expect(epochs.length).toBe(r.epochs.length);
      expect(epochs.at(-1)!, id).toBeLessThan(epochs[0] / 2);
      expect(r.samples.length).toBeGreaterThan(0);
      const firstRight = r.samples.findIndex((s) => s.correct);
      expect(r.samples.slice(firstRight).every((s) => s.correct), "mistakes come first").toBe(true);
      for (const s of r.samples) expect(s.correct).toBe(s.output === s.expected);
      engine.dispose();
    }
  });

  it("the tasks are what they say: the lookup, names, signs, tags and reversals", async () => {
    const engine = await createEngine({ seed: 1 });
    const samples = Object.fromEntries(await Promise.all(SHAPE_IDS.map(async (id) => [id, (await trainShape(engine, id, { cell: "gru" })).samples] as const)));
    for (const s of samples["one-to-one"]) expect(s.expected).toBe(String((Number(s.input) + 7) % 10));
    for (const s of samples["one-to-many"]) expect(s.expected).toBe(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"][Number(s.input)]);
    for (const s of samples["many-to-one"]) expect(s.expected).toBe(s.input.split(" ").reduce((a, v) => a + Number(v), 0) > 0 ? "positive" : "negative");
    for (const s of samples["many-to-many"]) {
      const d = s.input.split(" ").map(Number);
      expect(s.expected).toBe(d.map((x, t) => (t === 0 ? "start" : x > d[t - 1] ? "up" : x < d[t - 1] ? "down" : "same")).join(" "));
    }
    for (const s of samples["sequence-to-sequence"]) expect(s.expected).toBe([...s.input].reverse().join(""));
    await expect(trainShape(engine, "circle" as never)).rejects.toThrow(/unknown shape "circle"/);
  });
});

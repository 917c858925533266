// The names page's sampler over a real (JS-engine) training service: samples
// with their per-step distributions, marked new or known, honouring the
// prefix and top-k; one feed entry per epoch.

import { describe, expect, it } from "vitest";
import { TrainingService } from "../../web/lib/worker/service.ts";
import { dinosaurNames, nodePresetItems } from "../../web/lib/data/node-datasets.ts";
import { request, Sampler, showToken } from "../../web/app/pages/names/sampler.svelte.ts";

describe("the names sampler", () => {
  it("draws samples marked new or known with every step's distribution, starting with the prefix; feeds once per epoch", async () => {
    const service = new TrainingService({ backend: "js" });
    const names = dinosaurNames().slice(0, 300);
    await service.start({ kind: "language-model", items: names, options: { epochs: 2, hiddenSize: 24, embeddingDim: 8 } });
    // A sample is new when it is none of the names (as the character tokenizer reads them: lower case).
    const known = new Set(names.map((n) => n.toLowerCase()));
    await service.run();
    const sampler = new Sampler((r) => service.predict({ kind: "language-model", ...r }, 5));
    sampler.count = 8;
    sampler.prefix = "Ab";
    sampler.topK = 3;
    await sampler.generate();
    expect(sampler.problem).toBeNull();
    expect(sampler.samples).toHaveLength(8);
    for (const s of sampler.samples) {
      expect(s.text.startsWith("ab")).toBe(true);
      expect(s.novel).toBe(!known.has(s.text));
      // One step per drawn letter after the prefix, and the end; top-k 3: each drawn letter is among the step's three likeliest.
      expect(s.steps).toHaveLength(s.tokens.length - 2 + 1);
      for (const step of s.steps!) expect(step.top.slice(0, 3).map(([t]) => t)).toContain(step.token);
    }
    expect(sampler.novelShare).toBe(sampler.samples.filter((s) => !known.has(s.text)).length / 8);
    await sampler.epochEnded(2);
    await sampler.epochEnded(2);
    expect(sampler.feed.map((f) => f.epoch)).toEqual([2]);
    expect(sampler.feed[0].samples).toHaveLength(6);
    sampler.clearFeed();
    expect(sampler.feed).toEqual([]);
    await service.dispose();
  });

  it("a kept model of the built-in names, opened again, still marks its samples new or in the list", async () => {
    const trainer = new TrainingService({ backend: "js", loadPreset: nodePresetItems });
    await trainer.start({ preset: "names", settings: { limit: 300 }, options: { epochs: 1, hiddenSize: 16, embeddingDim: 8 } });
    await trainer.run();
    const user = new TrainingService({ backend: "js", loadPreset: nodePresetItems });
    await user.load(await trainer.modelFile());
    const ask = { kind: "language-model" as const, count: 12, temperature: 0.5 };
    const samples = await user.predict(ask, 9);
    for (const s of samples) expect(typeof s.novel).toBe("boolean");
    // The same marks as the run that trained it, which had the data at hand.
    expect(samples).toEqual(await trainer.predict(ask, 9));
    await trainer.dispose();
    await user.dispose();
  });

  it("asks for what the settings say, shows the end and spaces as words, and reports a refused request", async () => {
    expect(request({ temperature: 0.5, topK: 0, prefix: "" }, 3)).toEqual({ count: 3, temperature: 0.5 });
    expect(request({ temperature: 1, topK: 4, prefix: "x" }, 2, true)).toEqual({ count: 2, temperature: 1, topK: 4, prefix: "x", distributions: true, top: 6 });
    expect([showToken("</s>"), showToken(" "), showToken("a")]).toEqual(["end", "␣", "a"]);
    const sampler = new Sampler(async () => {
      throw new Error("temperature must be a number ≥ 0, got -1");
    });
    await sampler.generate();
    expect(sampler.problem).toMatch(/temperature must be/);
  });
});

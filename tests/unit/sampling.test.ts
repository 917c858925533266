// Sampling a generated text: only real tokens and the end are ever drawn,
// however much weight a model gives padding, the unknown token or the start;
// and the distribution a step shows is the one its token is drawn from.

import { describe, expect, it } from "vitest";
import { createEngine } from "../../web/lib/index.ts";
import { createModel } from "../../web/lib/models/create.ts";
import type { SequenceTagger } from "../../web/lib/models/tagger.ts";
import type { SequenceGenerator } from "../../web/lib/models/generator.ts";
import { BOS, EOS, PAD, UNK } from "../../web/lib/text/vocab.ts";
import { Random } from "../../web/lib/util/random.ts";
import { samplingDistribution, sampleToken } from "../../web/lib/models/sampling.ts";

const encoder = { input: { vocabSize: 9, embeddingDim: 4 }, cell: "lstm" as const, hiddenSize: 5, numLayers: 1, bidirectional: false, merge: "concat" as const, dropout: 0, recurrentDropout: 0 };

/** Sets the output bias: +20 on the special tokens, so a plain softmax would draw little else. */
function favourSpecials(model: SequenceTagger | SequenceGenerator, key: string) {
  const state = model.stateDict();
  const bias = state[key];
  bias.data.fill(0);
  for (const id of [PAD, UNK, BOS]) bias.data[id] = 20;
  bias.data[EOS] = 1;
  model.loadStateDict({ ...state, [key]: bias });
}

describe("sampling", () => {
  it("a language model and a generator never draw padding, <unk> or <s>; the distributions they report give them no weight", async () => {
    const engine = await createEngine({ seed: 1 });
    const tagger = createModel(engine, { type: "tagger", ...encoder, headDropout: 0, head: "softmax", outputs: 9 }) as SequenceTagger;
    const generator = createModel(engine, { type: "generator", conditionSize: 2, decoder: encoder, headDropout: 0 }) as SequenceGenerator;
    const taggerBias = Object.keys(tagger.stateDict()).find((k) => k.startsWith("head") && k.endsWith("bias"))!;
    const generatorBias = Object.keys(generator.stateDict()).find((k) => k.startsWith("head") && k.endsWith("bias"))!;
    favourSpecials(tagger, taggerBias);
    favourSpecials(generator, generatorBias);
    const rng = new Random(3);
    const rows: number[][] = [];
    const onStep = (logits: ArrayLike<number>) => void rows.push(Array.from(logits));
    const drawn = [
      ...Array.from({ length: 20 }, () => tagger.generate(rng, { maxLength: 10, temperature: 1.5, onStep })),
      ...Array.from({ length: 20 }, () => generator.generate([1, 0], rng, { maxLength: 10, temperature: 1.5, onStep })),
      tagger.generate(rng, { maxLength: 10, temperature: 0 }),
    ].flat();
    expect(drawn.length).toBeGreaterThan(0);
    for (const id of drawn) expect(id).toBeGreaterThan(EOS);
    for (const row of rows) for (const id of [PAD, UNK, BOS]) expect(row[id]).toBe(-Infinity);
  });
});

describe("the distribution a step shows", () => {
  const logits = [0, 1, 2, 3];
  const sum = (p: number[]) => p.reduce((a, v) => a + v, 0);

  it("is the one the token is drawn from: sharper when cold, flatter when hot, nothing outside the top k, all on the likeliest at 0", () => {
    const cold = samplingDistribution(logits, { temperature: 0.2 });
    const hot = samplingDistribution(logits, { temperature: 2 });
    expect(sum(cold)).toBeCloseTo(1, 12);
    expect(sum(hot)).toBeCloseTo(1, 12);
    expect(cold[3]).toBeGreaterThan(0.99);
    expect(hot[3]).toBeLessThan(0.5);
    expect(hot[3] / hot[2]).toBeCloseTo(Math.exp(0.5), 12);
    const top2 = samplingDistribution(logits, { topK: 2 });
    expect(top2.slice(0, 2)).toEqual([0, 0]);
    expect(top2[3] / top2[2]).toBeCloseTo(Math.E, 12);
    expect(samplingDistribution(logits, { temperature: 0 })).toEqual([0, 0, 0, 1]);
  });

  it("matches the frequencies of the tokens drawn with the same settings", () => {
    const rng = new Random(3);
    const settings = { temperature: 2, topK: 3 };
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleToken(logits, rng, settings)]++;
    const p = samplingDistribution(logits, settings);
    counts.forEach((c, i) => expect(Math.abs(c / 20000 - p[i])).toBeLessThan(0.015));
  });
});

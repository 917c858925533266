// Sampling a generated text: only real tokens and the end are ever drawn,
// however much weight a model gives padding, the unknown token or the start.

import { describe, expect, it } from "vitest";
import { createEngine } from "../../web/lib/index.ts";
import { createModel } from "../../web/lib/models/create.ts";
import type { SequenceTagger } from "../../web/lib/models/tagger.ts";
import type { SequenceGenerator } from "../../web/lib/models/generator.ts";
import { BOS, EOS, PAD, UNK } from "../../web/lib/text/vocab.ts";
import { Random } from "../../web/lib/util/random.ts";

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

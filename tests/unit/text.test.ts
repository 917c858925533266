// Tokenizers, normalisation and vocabularies.

import { describe, expect, it } from "vitest";
import { createTokenizer } from "../../web/lib/text/tokenizer.ts";
import { normalizeText } from "../../web/lib/text/normalize.ts";
import { BOS, EOS, PAD, UNK, Vocabulary } from "../../web/lib/text/vocab.ts";

describe("text", () => {
  it("normalises Unicode, HTML breaks and whitespace", () => {
    expect(normalizeText("Great<br /><br />Movie!  \n Cafe\u0301")).toBe("great movie! café");
    expect(normalizeText("Keep Case", { lowercase: false })).toBe("Keep Case");
  });

  it("word tokens split punctuation and digits, and detokenize back", () => {
    const tok = createTokenizer("word");
    const tokens = tok.tokenize("Sunday, January 2, 2000 — it's ¡great!");
    expect(tokens).toEqual(["sunday", ",", "january", "2", ",", "2", "0", "0", "0", "—", "it's", "¡", "great", "!"]);
    expect(tok.detokenize(tok.tokenize("domingo, 2 de enero de 2000"))).toBe("domingo, 2 de enero de 2000");
    expect(tok.detokenize(tok.tokenize("dentro de 15 días (más o menos)."))).toBe("dentro de 15 días (más o menos).");
  });

  it("character tokens", () => {
    const tok = createTokenizer("char");
    expect(tok.tokenize("T-Rex")).toEqual(["t", "-", "r", "e", "x"]);
    expect(tok.detokenize(["r", "e", "x"])).toBe("rex");
  });

  it("vocabularies: fixed special ids, most frequent first, size limit, unknowns, decoding to the end token", () => {
    const v = Vocabulary.build([["b", "a", "b"], ["c", "b", "a"]], { maxSize: 6 });
    expect(v.tokens).toEqual(["<pad>", "<unk>", "<s>", "</s>", "b", "a"]);
    expect([PAD, UNK, BOS, EOS]).toEqual([0, 1, 2, 3]);
    expect(v.encode(["a", "c", "b"])).toEqual([5, UNK, 4]);
    expect(v.decode([BOS, 4, 5, PAD, EOS, 4])).toEqual(["b", "a"]);
    expect(Vocabulary.build([["x", "y"], ["y"]], { minCount: 2 }).tokens).toEqual(["<pad>", "<unk>", "<s>", "</s>", "y"]);
    expect(new Vocabulary(v.toJSON()).tokens).toEqual(v.tokens);
    expect(() => new Vocabulary(["a", "b"])).toThrow(/must start with <pad>, <unk>, <s>, <\/s>/);
  });
});

// A conditional generator's card: how its texts are tokenized, its
// vocabulary, and the conditions it generates for, in the order of its
// condition vector.

import { type CardCommon, cardRule } from "../../persist/card-common.ts";
import type { TokenizerSpec } from "../../text/tokenizer.ts";

export interface GeneratorCard extends CardCommon {
  kind: "generator";
  tokenizer: TokenizerSpec;
  vocab: string[];
  conditions: string[];
  maxTokens: number;
}

export const generatorCard = cardRule("generator", ["tokenizer", "vocab", "conditions", "maxTokens"], (card, config, c) => {
  if (!("vocabSize" in config.decoder.input)) return c.fail("a generator writes tokens");
  c.tokenizer(card.tokenizer);
  c.vocabulary(card.vocab, "vocab", config.decoder.input.vocabSize);
  c.strings(card.conditions, "conditions", config.conditionSize);
  c.maxTokens(card.maxTokens);
});

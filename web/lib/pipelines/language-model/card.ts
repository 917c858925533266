// A language model's card: how its texts are tokenized, and the one
// vocabulary it reads and predicts.

import { type CardCommon, cardRule } from "../../persist/card-common.ts";
import type { TokenizerSpec } from "../../text/tokenizer.ts";

export interface LanguageModelCard extends CardCommon {
  kind: "language-model";
  tokenizer: TokenizerSpec;
  vocab: string[];
  maxTokens: number;
}

export const languageModelCard = cardRule("tagger", ["tokenizer", "vocab", "maxTokens"], (card, config, c) => {
  if (!("vocabSize" in config.input) || config.head !== "softmax" || config.outputs !== config.input.vocabSize) c.fail("a language model reads and predicts tokens of one vocabulary");
  c.tokenizer(card.tokenizer);
  c.vocabulary(card.vocab, "vocab", config.outputs);
  c.maxTokens(card.maxTokens);
});

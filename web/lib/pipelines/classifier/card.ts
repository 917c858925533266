// A text classifier's card: how its texts are tokenized, its vocabulary and
// its labels, in the order of the model's outputs.

import { type CardCommon, cardRule } from "../../persist/card-common.ts";
import type { TokenizerSpec } from "../../text/tokenizer.ts";

export interface ClassifierCard extends CardCommon {
  kind: "classifier";
  tokenizer: TokenizerSpec;
  vocab: string[];
  labels: string[];
  /** Texts are cut to this many tokens. */
  maxTokens: number;
}

export const classifierCard = cardRule("classifier", ["tokenizer", "vocab", "labels", "maxTokens"], (card, config, c) => {
  if (!("vocabSize" in config.input)) return c.fail("a classifier card needs a model that reads tokens");
  c.tokenizer(card.tokenizer);
  c.vocabulary(card.vocab, "vocab", config.input.vocabSize);
  c.strings(card.labels, "labels", config.classes === 1 ? 2 : config.classes);
  c.maxTokens(card.maxTokens);
});

// A translator's card: how its texts are tokenized, and the source and
// target vocabularies.

import { type CardCommon, cardRule } from "../../persist/card-common.ts";
import type { TokenizerSpec } from "../../text/tokenizer.ts";

export interface TranslatorCard extends CardCommon {
  kind: "translator";
  tokenizer: TokenizerSpec;
  sourceVocab: string[];
  targetVocab: string[];
  maxTokens: number;
}

export const translatorCard = cardRule("seq2seq", ["tokenizer", "sourceVocab", "targetVocab", "maxTokens"], (card, config, c) => {
  if (!("vocabSize" in config.encoder.input)) return c.fail("a translator reads tokens");
  c.tokenizer(card.tokenizer);
  c.vocabulary(card.sourceVocab, "sourceVocab", config.encoder.input.vocabSize);
  c.vocabulary(card.targetVocab, "targetVocab", config.targetVocabSize);
  c.maxTokens(card.maxTokens);
});

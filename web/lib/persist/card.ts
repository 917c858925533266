// The model card: what a model file says about its model beyond the weights
// — which pipeline made it and what that task needs to read and write its
// data (tokenizer, vocabularies, labels or scaling), and where its data came
// from. Each task's card lives with its task (pipelines/<kind>/card.ts);
// cards come from files, so checkCard validates every entry, and the
// vocabularies and labels against the model's config, before anything is
// built from them.

import type { ModelConfig } from "../models/create.ts";
import { type ClassifierCard, classifierCard } from "../pipelines/classifier/card.ts";
import { type ForecasterCard, forecasterCard } from "../pipelines/forecaster/card.ts";
import { type GeneratorCard, generatorCard } from "../pipelines/generator/card.ts";
import { isPipelineKind, PIPELINE_KINDS, type PipelineKind } from "../pipelines/kind.ts";
import { type LanguageModelCard, languageModelCard } from "../pipelines/language-model/card.ts";
import { type TranslatorCard, translatorCard } from "../pipelines/translator/card.ts";
import { CARD_VERSION, CardChecker, type CardRule } from "./card-common.ts";

export { CARD_VERSION, type CardScores, type DataSource, type Metric } from "./card-common.ts";
export type { ClassifierCard, ForecasterCard, GeneratorCard, LanguageModelCard, TranslatorCard };

export type ModelCard = ClassifierCard | LanguageModelCard | TranslatorCard | ForecasterCard | GeneratorCard;
export type CardOf<K extends PipelineKind> = Extract<ModelCard, { kind: K }>;

const RULES: { readonly [K in PipelineKind]: CardRule } = {
  classifier: classifierCard,
  "language-model": languageModelCard,
  translator: translatorCard,
  forecaster: forecasterCard,
  generator: generatorCard,
};

/** Checks a card read from a file against the model's config; returns it typed, or refuses with the first problem. */
export function checkCard(card: unknown, config: ModelConfig): asserts card is ModelCard {
  const c = new CardChecker();
  const o = c.object(card, "not an object");
  if (!isPipelineKind(o.kind)) return c.fail(`kind must be one of ${PIPELINE_KINDS.join(", ")}, got ${JSON.stringify(o.kind)}`);
  if (o.version !== CARD_VERSION) c.fail(`version ${JSON.stringify(o.version)} is not one this Gated reads (${CARD_VERSION})`);
  if (o.trained !== undefined) c.text(o.trained, "trained", 40);
  if (o.scores !== undefined) c.scores(o.scores);
  c.source(o.data);
  const rule = RULES[o.kind];
  c.keys(o, "the card", ["kind", "version", "data", ...rule.entries], ["trained", "scores"]);
  if (config.type !== rule.model) c.fail(`a ${o.kind} card needs a ${rule.model} model, but the config is a ${config.type}`);
  rule.check(o, config, c);
}

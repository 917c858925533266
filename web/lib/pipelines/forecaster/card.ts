// A forecaster's card: how its series was scaled, the window it reads, and
// the series' end, to forecast from when no history is given.

import { type CardCommon, cardRule } from "../../persist/card-common.ts";

export interface ForecasterCard extends CardCommon {
  kind: "forecaster";
  /** Mean and standard deviation of the training series' changes. */
  mean: number;
  std: number;
  window: number;
  /** The series' last window + 1 values, to forecast from when no history is given. */
  tail: number[];
}

export const forecasterCard = cardRule("tagger", ["mean", "std", "window", "tail"], (card, config, c) => {
  if (!("features" in config.input) || config.input.features !== 1 || config.head !== "regression" || config.outputs !== 1) c.fail("a forecaster reads and predicts one value per step");
  c.finite(card.mean, "mean");
  if (!(c.finite(card.std, "std") > 0)) c.fail("std must be > 0");
  const window = c.int(card.window, "window", 1, 100000);
  if (!Array.isArray(card.tail) || card.tail.length !== window + 1) c.fail("tail must hold window + 1 values");
  (card.tail as unknown[]).forEach((v, i) => c.finite(v, `tail[${i}]`));
});

// Many-to-one training examples: token ids and a class label.

import type { SequenceClassifier } from "../models/classifier.ts";
import { tokenBatch } from "../models/batch.ts";
import type { Task } from "../training/trainer.ts";

export interface LabelledSequence {
  ids: number[];
  label: number;
}

export function classificationTask(model: SequenceClassifier): Task<LabelledSequence> {
  return {
    model,
    length: (e) => e.ids.length,
    step: (examples, train) => model.step(tokenBatch(examples.map((e) => e.ids)), examples.map((e) => e.label), train),
  };
}

// Many-to-one training examples: token ids and a class label.

import type { SequenceClassifier } from "../../models/classifier.ts";
import { tokenBatch } from "../../models/batch.ts";
import { type Payload, runPayload } from "../../parallel/payload.ts";
import type { Task } from "../../training/task.ts";

export interface LabelledSequence {
  ids: number[];
  label: number;
}

export function classificationTask(model: SequenceClassifier): Task<LabelledSequence> {
  const payload = (examples: LabelledSequence[]): Payload => ({
    kind: "classifier", batch: tokenBatch(examples.map((e) => e.ids)), labels: examples.map((e) => e.label),
  });
  return { model, payload, length: (e) => e.ids.length, step: (examples, train) => runPayload(model, payload(examples), train) };
}

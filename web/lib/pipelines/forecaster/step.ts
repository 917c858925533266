// Many-to-many regression over numeric series: inputs (T×F) and targets
// (T×K) per example, e.g. the next values of a series at every step.

import { featureBatch } from "../../models/batch.ts";
import type { SequenceTagger } from "../../models/tagger.ts";
import { type Payload, runPayload } from "../../parallel/payload.ts";
import type { Task } from "../../training/task.ts";

export interface SeriesExample {
  inputs: number[][];
  targets: number[][];
}

export function regressionTask(model: SequenceTagger): Task<SeriesExample> {
  const F = (model.config.input as { features: number }).features;
  const K = model.config.outputs;
  const payload = (examples: SeriesExample[]): Payload => {
    const batch = featureBatch(examples.map((e) => e.inputs), F);
    const targets = new Float32Array(batch.T * batch.B * K);
    examples.forEach((e, b) => e.targets.forEach((v, t) => targets.set(v, (t * batch.B + b) * K)));
    return { kind: "tagger", batch, targets };
  };
  return { model, payload, length: (e) => e.inputs.length, step: (examples, train) => runPayload(model, payload(examples), train) };
}

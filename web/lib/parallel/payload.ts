// One model call as plain data: what a task turns a batch of examples into,
// and what a worker receives to run on its shard (typed arrays and numbers
// only, so it crosses postMessage as is).

import { GatedError } from "../errors.ts";
import type { Model } from "../models/create.ts";
import type { SequenceBatch } from "../models/batch.ts";
import type { StepResult } from "../models/classifier.ts";
import { SequenceClassifier } from "../models/classifier.ts";
import { SequenceTagger } from "../models/tagger.ts";
import { Seq2Seq } from "../models/seq2seq.ts";
import { SequenceGenerator } from "../models/generator.ts";

export type Payload =
  | { kind: "classifier"; batch: SequenceBatch; labels: number[] }
  | { kind: "tagger"; batch: SequenceBatch; targets: Int32Array | Float32Array }
  | { kind: "seq2seq"; sources: number[][]; targets: number[][] }
  | { kind: "generator"; conditions: number[][]; targets: number[][] };

/** Forward, loss and (when training) backward of one payload; gradients accumulate. */
export function runPayload(model: Model, p: Payload, train: boolean): StepResult {
  const wrong = () => {
    throw new GatedError(`a ${p.kind} payload does not fit a ${model.constructor.name}`);
  };
  switch (p.kind) {
    case "classifier":
      return model instanceof SequenceClassifier ? model.step(p.batch, p.labels, train) : wrong();
    case "tagger": {
      if (!(model instanceof SequenceTagger)) return wrong();
      const { loss, count, correct } = model.step(p.batch, p.targets, train);
      return { loss, count, correct };
    }
    case "seq2seq":
      return model instanceof Seq2Seq ? model.step(p.sources, p.targets, train) : wrong();
    case "generator":
      return model instanceof SequenceGenerator ? model.step(p.conditions, p.targets, train) : wrong();
  }
}

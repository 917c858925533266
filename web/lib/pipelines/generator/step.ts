// One-to-many examples: a condition vector and the token sequence it should produce.

import type { SequenceGenerator } from "../../models/generator.ts";
import { type Payload, runPayload } from "../../parallel/payload.ts";
import type { Task } from "../../training/task.ts";

export interface ConditionedSequence {
  condition: number[];
  ids: number[];
}

export function generationTask(model: SequenceGenerator): Task<ConditionedSequence> {
  const payload = (examples: ConditionedSequence[]): Payload => ({
    kind: "generator", conditions: examples.map((e) => e.condition), targets: examples.map((e) => e.ids),
  });
  return { model, payload, perplexity: true, length: (e) => e.ids.length, step: (examples, train) => runPayload(model, payload(examples), train) };
}

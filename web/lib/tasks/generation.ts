// One-to-many examples: a condition vector and the token sequence it should produce.

import type { SequenceGenerator } from "../models/generator.ts";
import type { Task } from "../training/trainer.ts";

export interface ConditionedSequence {
  condition: number[];
  ids: number[];
}

export function generationTask(model: SequenceGenerator): Task<ConditionedSequence> {
  return {
    model,
    perplexity: true,
    length: (e) => e.ids.length,
    step: (examples, train) => model.step(examples.map((e) => e.condition), examples.map((e) => e.ids), train),
  };
}

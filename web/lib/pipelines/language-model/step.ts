// Language modelling: the model reads <s> x₁ … xₙ and predicts x₁ … xₙ </s>.
// With `tbptt` set, long batches are processed in chunks of that many steps:
// the state is carried from chunk to chunk, gradients stop at chunk borders
// (truncated BPTT), and the chunks' gradients add up for one update. Without
// it a batch is one model call, which data-parallel workers can also run.

import { GatedError } from "../../errors.ts";
import { tokenBatch } from "../../models/batch.ts";
import { IGNORE, type SequenceTagger } from "../../models/tagger.ts";
import type { StepResult } from "../../models/classifier.ts";
import { type Payload, runPayload } from "../../parallel/payload.ts";
import { BOS, EOS } from "../../text/vocab.ts";
import type { Task } from "../../training/task.ts";

/** Inputs <s> x… and targets x… </s> (IGNORE past each sequence), time-major; a chunk of steps [t0, t0 + steps). */
function chunk(examples: number[][], t0: number, steps: number): Payload & { kind: "tagger" } {
  // Sequences that ended before this chunk stay in the batch as padding (one ignored step), so the state rows line up.
  const batch = tokenBatch(examples.map((e) => (e.length + 1 > t0 ? [BOS, ...e].slice(t0, t0 + steps) : [EOS])));
  const targets = new Int32Array(batch.T * batch.B).fill(IGNORE);
  examples.forEach((e, b) => [...e, EOS].slice(t0, t0 + steps).forEach((id, i) => (targets[i * batch.B + b] = id)));
  return { kind: "tagger", batch, targets };
}

export function languageModelTask(model: SequenceTagger, { tbptt }: { tbptt?: number } = {}): Task<number[]> {
  if (tbptt !== undefined && !(Number.isInteger(tbptt) && tbptt >= 1)) throw new GatedError(`tbptt must be a positive integer, got ${tbptt}`);
  const payload = (examples: number[][]): Payload => chunk(examples, 0, Infinity);
  const truncated = (examples: number[][], train: boolean): StepResult => {
    const T = Math.max(...examples.map((e) => e.length + 1));
    let state: { h0?: number; c0?: number } = {};
    let lossSum = 0, count = 0, correct = 0;
    for (let t0 = 0; t0 < T; t0 += tbptt!) {
      const { batch, targets } = chunk(examples, t0, tbptt!);
      const r = model.step(batch, targets, train, state);
      lossSum += r.loss * r.count;
      count += r.count;
      correct += r.correct ?? 0;
      state = { h0: r.run.hN.ptr, c0: r.run.cN?.ptr };
    }
    return { loss: count ? lossSum / count : 0, count, correct };
  };
  return {
    model,
    perplexity: true,
    length: (e) => e.length,
    ...(tbptt === undefined ? { payload, step: (examples, train) => runPayload(model, payload(examples), train) } : { step: truncated }),
  };
}

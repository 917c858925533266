// Language modelling: the model reads <s> x₁ … xₙ and predicts x₁ … xₙ </s>.
// With `tbptt` set, long batches are processed in chunks of that many steps:
// the state is carried from chunk to chunk, gradients stop at chunk borders
// (truncated BPTT), and the chunks' gradients add up for one update.

import { GatedError } from "../errors.ts";
import { tokenBatch } from "../models/batch.ts";
import { IGNORE, type SequenceTagger } from "../models/tagger.ts";
import type { StepResult } from "../models/classifier.ts";
import { BOS, EOS } from "../text/vocab.ts";
import type { Task } from "../training/trainer.ts";

export function languageModelTask(model: SequenceTagger, { tbptt }: { tbptt?: number } = {}): Task<number[]> {
  if (tbptt !== undefined && !(Number.isInteger(tbptt) && tbptt >= 1)) throw new GatedError(`tbptt must be a positive integer, got ${tbptt}`);
  return {
    model,
    perplexity: true,
    length: (e) => e.length,
    step: (examples, train) => {
      const inputs = examples.map((e) => [BOS, ...e]);
      const targets = examples.map((e) => [...e, EOS]);
      const T = Math.max(...inputs.map((s) => s.length));
      const chunk = tbptt ?? T;
      let state: { h0?: number; c0?: number } = {};
      let lossSum = 0, count = 0, correct = 0;
      for (let t0 = 0; t0 < T; t0 += chunk) {
        // Sequences that ended before this chunk still take part, as padding (length 1, ignored targets).
        const part = inputs.map((s) => (s.length > t0 ? s.slice(t0, t0 + chunk) : [EOS]));
        const batch = tokenBatch(part);
        const tgt = new Int32Array(batch.T * batch.B).fill(IGNORE);
        targets.forEach((s, b) => s.slice(t0, t0 + chunk).forEach((id, i) => (tgt[i * batch.B + b] = id)));
        const r: StepResult & { run: { hN: { ptr: number }; cN?: { ptr: number } } } = model.step(batch, tgt, train, state);
        lossSum += r.loss * r.count;
        count += r.count;
        correct += r.correct ?? 0;
        state = { h0: r.run.hN.ptr, c0: r.run.cN?.ptr };
      }
      return { loss: count ? lossSum / count : 0, count, correct };
    },
  };
}

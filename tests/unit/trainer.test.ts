// The training loop's behaviour: recovery from a non-finite loss, early
// stopping with the best weights restored, cancellation, progress reports,
// schedules, bucketing and the translation metrics.

import { describe, expect, it } from "vitest";
import { createEngine, GatedError } from "../../web/lib/index.ts";
import { SequenceClassifier } from "../../web/lib/models/classifier.ts";
import { classificationTask, type LabelledSequence } from "../../web/lib/pipelines/classifier/step.ts";
import { evaluate, train, type Task } from "../../web/lib/training/trainer.ts";
import { makeBatches, split } from "../../web/lib/training/batches.ts";
import { Scheduler } from "../../web/lib/training/schedules.ts";
import { bleu, exactMatch } from "../../web/lib/training/metrics.ts";
import { Random } from "../../web/lib/util/random.ts";

async function setup(seed = 1) {
  const engine = await createEngine({ backend: "wasm-simd", seed });
  const model = new SequenceClassifier(engine, {
    type: "classifier", input: { vocabSize: 12, embeddingDim: 8 }, cell: "gru", hiddenSize: 8, numLayers: 1, bidirectional: false,
    merge: "concat", dropout: 0, recurrentDropout: 0, pooling: "last", headDropout: 0, classes: 2,
  });
  // Label: does token 5 occur?
  const rng = new Random(seed);
  const data: LabelledSequence[] = Array.from({ length: 200 }, () => {
    const ids = Array.from({ length: 2 + Math.floor(rng.next() * 6) }, () => 4 + Math.floor(rng.next() * 8));
    return { ids, label: ids.includes(5) ? 1 : 0 };
  });
  return { engine, model, task: classificationTask(model), data };
}

const weights = (m: SequenceClassifier) => m.parameters().map((p) => Array.from(p.values().data));

describe("trainer", () => {
  it("stops on a non-finite loss with a clear message and restores the weights from before the last update", async () => {
    const { engine, model, task, data } = await setup();
    const seen: number[][][] = [];
    const poisoned: Task<LabelledSequence> = {
      ...task,
      step: (examples, trainMode) => {
        seen.push(weights(model));
        if (seen.length === 4) return { loss: NaN, count: examples.length };
        return task.step(examples, trainMode);
      },
    };
    let error: unknown;
    try {
      await train(engine, poisoned, data, { epochs: 2, batchSize: 16, seed: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatedError);
    expect((error as Error).message).toMatch(/epoch 1, batch 4: the loss is NaN; the weights from before the last update were restored/);
    // Batch 4 saw the weights update 3 produced; back to those batch 3 scored with a finite loss.
    expect(seen[3]).not.toEqual(seen[2]);
    expect(weights(model)).toEqual(seen[2]);
  });

  it("stops early and restores the weights of the best validation epoch", async () => {
    const { engine, model, task, data } = await setup(2);
    const validation = data.slice(0, 40);
    const r = await train(engine, task, data.slice(40), {
      epochs: 40, batchSize: 16, seed: 3, validation, earlyStopping: { patience: 2, minDelta: 0.01 }, optimizerOptions: { lr: 0.05 },
    });
    const best = r.history[r.bestEpoch - 1];
    expect(r.stopped).toBe("early-stopping");
    expect(r.history.length).toBeLessThan(40);
    // The best epoch is the last to improve by minDelta; the two after it did not.
    expect(r.history.length).toBe(r.bestEpoch + 2);
    for (const h of r.history.slice(r.bestEpoch)) expect(h.validationLoss!).toBeGreaterThan(best.validationLoss! - 0.01);
    expect(evaluate(task, validation, 16).validationLoss).toBeCloseTo(best.validationLoss!, 5);
  });

  it("learns the task, reporting progress per batch (when asked to) and a report per epoch", async () => {
    const { engine, task, data } = await setup(3);
    const progress: number[] = [];
    const epochs: number[] = [];
    const r = await train(engine, task, data, {
      epochs: 15, batchSize: 20, seed: 4, validationSplit: 0.2, optimizerOptions: { lr: 0.02 }, progressInterval: 0,
      onProgress: (p) => {
        progress.push(p.batch);
        expect(p.sequencesPerSecond).toBeGreaterThan(0);
      },
      onEpoch: (e) => epochs.push(e.epoch),
    });
    expect(epochs).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(progress.slice(0, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.history.at(-1)!.validationAccuracy).toBeGreaterThan(0.9);
  });

  it("stops when cancelled", async () => {
    const { engine, task, data } = await setup(4);
    const controller = new AbortController();
    const r = await train(engine, task, data, {
      epochs: 50, batchSize: 8, seed: 5, signal: controller.signal, progressInterval: 0,
      onProgress: (p) => p.epoch === 2 && p.batch === 3 && controller.abort(),
    });
    expect(r.stopped).toBe("cancelled");
    expect(r.history.length).toBe(1);
  });

  it("refuses bad options before touching the model", async () => {
    const { engine, task, data } = await setup();
    await expect(train(engine, task, data, { epochs: 0, batchSize: 4 })).rejects.toThrow(/epochs must be a positive integer, got 0/);
    await expect(train(engine, task, data, { epochs: 1, batchSize: 4, validationSplit: 1 })).rejects.toThrow(/validationSplit must be in \[0, 1\)/);
    await expect(train(engine, task, data, { epochs: 1, batchSize: 4, clipNorm: -1 })).rejects.toThrow(/clipNorm must be a number > 0/);
  });
});

describe("batches and schedules", () => {
  it("bucketing groups similar lengths, and the same seed gives the same batches", () => {
    const items = Array.from({ length: 400 }, (_, i) => ({ n: (i * 37) % 50 }));
    const spread = (batches: { n: number }[][]) => batches.reduce((s, b) => s + Math.max(...b.map((x) => x.n)) - Math.min(...b.map((x) => x.n)), 0) / batches.length;
    const bucketed = makeBatches(items, 16, new Random(1), (x) => x.n);
    const plain = makeBatches(items, 16, new Random(1));
    expect(spread(bucketed)).toBeLessThan(spread(plain) / 3);
    expect(makeBatches(items, 16, new Random(1), (x) => x.n)).toEqual(bucketed);
    expect(bucketed.flat().length).toBe(400);
    const { train: t, validation: v } = split(items, 0.25, 9);
    expect([t.length, v.length]).toEqual([300, 100]);
  });

  it("schedules change the rate as documented", () => {
    const run = (s: ConstructorParameters<typeof Scheduler>[0], losses = [1, 1, 1, 1]) => {
      const sched = new Scheduler(s, 1, 4);
      let lr = 1;
      return losses.map((l, i) => (lr = sched.next(lr, i + 1, l)));
    };
    expect(run({ type: "step", every: 2, gamma: 0.5 })).toEqual([1, 0.5, 0.5, 0.25]);
    expect(run({ type: "exponential", gamma: 0.5 })).toEqual([0.5, 0.25, 0.125, 0.0625]);
    expect(run({ type: "cosine" }).map((v) => +v.toFixed(4))).toEqual([0.8536, 0.5, 0.1464, 0]);
    expect(run({ type: "plateau", factor: 0.1, patience: 2 }, [1, 0.5, 0.6, 0.7])).toEqual([1, 1, 1, 0.1]);
  });
});

describe("translation metrics", () => {
  it("exact match and BLEU", () => {
    const ref = [["el", "gato", "está", "en", "la", "casa"], ["hola"]];
    expect(exactMatch(ref, ref)).toBe(1);
    expect(bleu(ref, ref)).toBeCloseTo(1, 10);
    expect(exactMatch([["el", "gato"], ["hola"]], ref)).toBe(0.5);
    // 1-gram 4/4, 2-gram (3+1)/(3+1), 3-gram (2+1)/(2+1), 4-gram (1+1)/(1+1); brevity exp(1 − 7/5)
    const hyp = [["el", "gato", "está", "en"], ["hola"]];
    expect(bleu(hyp, ref)).toBeCloseTo(Math.exp(1 - 7 / 5), 10);
    expect(bleu([["x"]], [["y"]])).toBe(0);
  });
});

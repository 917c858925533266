// Training sessions: a run interrupted at any batch and restored from its
// checkpoint (in a fresh engine) ends with exactly the weights and history of
// an uninterrupted run, for every pipeline; pausing changes nothing;
// continuing for more epochs equals one longer run; progress comes at most as
// often as asked; corrupt or mismatched checkpoints are refused.

import { describe, expect, it } from "vitest";
import { createEngine, GatedError } from "../../web/lib/index.ts";
import { phrasePairs } from "../../web/lib/data/phrases.ts";
import { co2Series, dinosaurNames, firstNames, labelledSentences } from "../../web/lib/data/node-datasets.ts";
import type { PipelineKind } from "../../web/lib/pipelines/kind.ts";
import { decodeSafetensors, encodeSafetensors } from "../../web/lib/persist/safetensors.ts";
import { PipelineRun } from "../../web/lib/pipelines/run.ts";
import type { EpochReport } from "../../web/lib/training/session.ts";

const { male, female } = firstNames();
const DATA: Record<PipelineKind, { items: unknown[]; options: Record<string, unknown> }> = {
  classifier: { items: labelledSentences().slice(0, 120), options: { hiddenSize: 8, embeddingDim: 8 } },
  "language-model": { items: dinosaurNames().slice(0, 90), options: { hiddenSize: 12, embeddingDim: 6 } },
  translator: { items: phrasePairs(60, 3), options: { hiddenSize: 8, embeddingDim: 8, attention: "additive" } },
  forecaster: { items: co2Series().slice(0, 150), options: { hiddenSize: 6, window: 12, cell: "lstm", dropout: 0.2, numLayers: 2 } },
  generator: { items: [...male.slice(0, 40).map((t) => ({ text: t, label: "m" })), ...female.slice(0, 40).map((t) => ({ text: t, label: "f" }))], options: { hiddenSize: 8, embeddingDim: 6 } },
};

const engine = (seed = 5) => createEngine({ backend: "wasm-simd", seed });
const start = async (kind: PipelineKind, options: Record<string, unknown> = {}, seed = 5) =>
  PipelineRun.start(await engine(seed), { kind, items: DATA[kind].items, origin: { name: kind }, options: { epochs: 3, batchSize: 8, patience: 100, ...DATA[kind].options, ...options } });
const weights = (run: PipelineRun) => run.model.parameters().map((p) => Array.from(p.values().data));
/** The history without its timings. */
const losses = (h: EpochReport[]) => h.map(({ seconds: _s, sequencesPerSecond: _r, ...rest }) => rest);

describe("training sessions", () => {
  describe.each(Object.keys(DATA) as PipelineKind[])("%s", (kind) => {
    it("restored from a checkpoint mid-epoch or between epochs, ends exactly as an uninterrupted run", async () => {
      const whole = await start(kind);
      await whole.session.run();
      expect(whole.session.info().finished).toBe("completed");
      const perEpoch = Math.ceil(whole.session.sizes.train / 8);
      for (const k of [3, perEpoch]) {
        const first = await start(kind);
        const status = await first.session.run({ batches: k });
        expect(status.state).toBe("ready");
        const bytes = first.checkpoint();
        first.dispose();
        // Another engine with another seed: everything must come from the checkpoint.
        const second = PipelineRun.resume(await engine(99), bytes, DATA[kind].items);
        expect(second.session.info()).toMatchObject({ epoch: Math.floor(k / perEpoch), batch: k % perEpoch });
        await second.session.run();
        expect(weights(second)).toEqual(weights(whole));
        expect(losses(second.session.info().history)).toEqual(losses(whole.session.info().history));
      }
    }, 60_000);
  });

  it("pausing holds training and changes nothing; a checkpoint can be taken while paused", async () => {
    const whole = await start("classifier");
    await whole.session.run();
    let held: Promise<void> | undefined;
    const paused = PipelineRun.start(await engine(), {
      kind: "classifier", items: DATA.classifier.items, origin: { name: "classifier" },
      options: { epochs: 3, batchSize: 8, patience: 100, ...DATA.classifier.options },
      hooks: { progressInterval: 0, onProgress: (p) => p.steps === 3 && (held = paused.session.pause()) },
    });
    const run = paused.session.run();
    await new Promise<void>((resolve) => {
      const poll = () => (held ? resolve() : setImmediate(poll));
      poll();
    });
    await held;
    expect(paused.session.state).toBe("paused");
    expect(paused.session.info().batch).toBe(3);
    await new Promise((r) => setTimeout(r, 100));
    expect(paused.session.info().batch).toBe(3);
    const bytes = paused.checkpoint();
    expect(bytes.length).toBeGreaterThan(1000);
    paused.session.resume();
    const status = await run;
    expect(status.finished).toBe("completed");
    expect(weights(paused)).toEqual(weights(whole));
  });

  it("stop() ends run() after the batch, and run() goes on from there", async () => {
    const whole = await start("language-model");
    await whole.session.run();
    let calls = 0;
    const hooked = PipelineRun.start(await engine(), {
      kind: "language-model", items: DATA["language-model"].items, origin: { name: "lm" },
      options: { epochs: 3, batchSize: 8, patience: 100, ...DATA["language-model"].options },
      hooks: { progressInterval: 0, onProgress: (p) => ++calls === 4 && hooked.session.stop() },
    });
    const first = await hooked.session.run();
    expect(first.state).toBe("stopped");
    expect(first.batch).toBe(4);
    await hooked.session.run();
    expect(weights(hooked)).toEqual(weights(whole));
  });

  it("continue({epochs}) after a finished run equals one longer run; step() trains one batch at a time", async () => {
    const long = await start("generator", { epochs: 4 });
    await long.session.run();
    const short = await start("generator", { epochs: 2 });
    let batches = 0;
    while (await short.session.step()) batches++;
    expect(batches + 1).toBe(2 * Math.ceil(short.session.sizes.train / 8));
    expect(short.session.info().finished).toBe("completed");
    const more = await short.session.continue({ epochs: 2 });
    expect(more).toMatchObject({ finished: "completed", epoch: 4 });
    expect(weights(short)).toEqual(weights(long));
    expect(losses(more.history)).toEqual(losses(long.session.info().history));
  });

  it("reports progress at most as often as asked, with the gradient norm and per-parameter norms on request", async () => {
    const reports: { at: number; gradNorm: number; norms?: Record<string, number> }[] = [];
    const run = PipelineRun.start(await engine(), {
      kind: "language-model", items: DATA["language-model"].items, origin: { name: "lm" }, options: { epochs: 40, batchSize: 4, ...DATA["language-model"].options },
      hooks: { progressInterval: 100, parameterNorms: true, onProgress: (p) => reports.push({ at: performance.now(), gradNorm: p.gradNorm, norms: p.parameterNorms }) },
    });
    const t0 = performance.now();
    const status = await run.session.run({ seconds: 1 });
    const seconds = (performance.now() - t0) / 1000;
    const epochEnds = status.epoch + 1;
    expect(reports.length).toBeGreaterThan(2);
    expect(reports.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + epochEnds + 1);
    for (const r of reports) {
      expect(r.gradNorm).toBeGreaterThan(0);
      const total = Math.sqrt(Object.values(r.norms!).reduce((a, n) => a + n * n, 0));
      expect(total).toBeCloseTo(r.gradNorm, 3);
    }
    expect(Object.keys(reports[0].norms!)).toContain("encoder.rnn.weight_hh_l0");
  });

  it("refuses corrupt, tampered or mismatched checkpoints with the reason", async () => {
    const run = await start("classifier");
    await run.session.run({ batches: 2 });
    const bytes = run.checkpoint();
    const items = DATA.classifier.items;
    const refused = async (b: Uint8Array, data: unknown, pattern: RegExp) => {
      let error: unknown;
      try {
        PipelineRun.resume(await engine(), b, data, {}, "run.checkpoint");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GatedError);
      expect((error as Error).message).toMatch(pattern);
    };
    await refused(bytes.subarray(0, bytes.length - 8), items, /truncated/);
    await refused(bytes, items.slice(1), /was trained on 120 items of classifier; this data has 119/);
    // Another text in place of one the run trained on (held-out items do not count).
    const other = [...items];
    other[items.indexOf((run.split.train as unknown[])[0])] = { text: "something else entirely", label: "positive" };
    await refused(bytes, other, /made on other data/);
    await refused(run.modelFile(), items, /not a Gated checkpoint/);
    const { tensors, metadata } = decodeSafetensors(bytes);
    const state = JSON.parse(metadata.session);
    await refused(encodeSafetensors(tensors, { ...metadata, session: JSON.stringify({ ...state, epoch: -1 }) }), items, /session state is not valid: epoch must be a count/);
    await refused(encodeSafetensors(tensors, { ...metadata, session: "{" }), items, /session state .* not valid JSON/);
    const optimizerKey = Object.keys(tensors).find((k) => k.startsWith("optimizer.exp_avg."))!;
    await refused(encodeSafetensors({ ...tensors, [optimizerKey]: { shape: [1], data: new Float32Array(1) } }, metadata), items, /has shape \[1\], expected/);
    await refused(encodeSafetensors({ ...tensors, "optimizer.velocity.head.bias": tensors["model.head.bias"] }, metadata), items, /unknown tensor optimizer.velocity.head.bias/);
  });
});

// Property-based tests of everything that reads bytes or text a user brings:
// the model-file and checkpoint decoders and every data-file parser get
// thousands of mutated and random inputs per run (truncations, bit flips,
// edited headers, configs and cards, random bytes and text). Each input gives
// either a valid result or a GatedError — never another exception — within a
// time budget, and the engine's memory never grows past its limit.
// Failures found so far are kept below as regression cases.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine, type Engine, GatedError } from "../../web/lib/index.ts";
import { parseDelimited } from "../../web/lib/data/delimited.ts";
import { parseLabelledText, parseLines, parseNumericSeries, parseParallelText } from "../../web/lib/data/formats.ts";
import { dinosaurNames, labelledSentences } from "../../web/lib/data/node-datasets.ts";
import { decodeCheckpoint } from "../../web/lib/persist/checkpoint.ts";
import { loadModel, saveModel } from "../../web/lib/persist/model-file.ts";
import { decodeSafetensors, encodeSafetensors } from "../../web/lib/persist/safetensors.ts";
import { createModel } from "../../web/lib/models/create.ts";
import { PipelineRun } from "../../web/lib/pipelines/run.ts";
import { TrainingService } from "../../web/lib/worker/service.ts";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";

const RUNS = 1500;
const BUDGET_MS = 1000;

/** Runs fn on an input: a value or a GatedError is fine; anything else, or a slow answer, fails. */
function survives(fn: () => unknown): boolean {
  const t = performance.now();
  try {
    fn();
  } catch (e) {
    if (!(e instanceof GatedError)) throw e;
  }
  const ms = performance.now() - t;
  if (ms > BUDGET_MS) throw new Error(`took ${ms.toFixed(0)} ms`);
  return true;
}

/** Byte-level mutations of a valid file. */
const mutated = (valid: Uint8Array) =>
  fc.oneof(
    fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
    fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 }).map((flips) => {
      const b = valid.slice();
      for (const [at, bit] of flips) b[at] ^= 1 << bit;
      return b;
    }),
    fc.tuple(fc.nat({ max: valid.length }), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([at, junk]) => {
      const b = new Uint8Array(valid.length + junk.length);
      b.set(valid.subarray(0, at));
      b.set(junk, at);
      b.set(valid.subarray(at), at + junk.length);
      return b;
    }),
    fc.uint8Array({ maxLength: 256 }),
  );

/** Anything JSON can hold, small. */
const json = fc.jsonValue({ maxDepth: 3 });

/** Edits of the header of a valid file: its metadata's config and card, and its tensors' entries. */
function editedHeader(valid: Uint8Array) {
  const { tensors, metadata } = decodeSafetensors(valid);
  const names = Object.keys(tensors);
  const editJson = (text: string) =>
    fc.tuple(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 3 }), json, fc.boolean()).map(([path, value, remove]) => {
      const root = JSON.parse(text);
      let o = root;
      for (const k of path.slice(0, -1)) {
        const keys = o && typeof o === "object" ? Object.keys(o) : [];
        if (!keys.length) break;
        o = o[keys[Math.abs(hash(k)) % keys.length]];
      }
      if (o && typeof o === "object") {
        const keys = Object.keys(o);
        const key = keys.length && !remove ? keys[Math.abs(hash(path.at(-1)!)) % keys.length] : path.at(-1)!;
        if (remove) delete o[keys[Math.abs(hash(key)) % Math.max(1, keys.length)]];
        else o[key] = value;
      }
      return JSON.stringify(root);
    });
  return fc.oneof(
    ...["config", "card", "session", "options"].filter((k) => metadata[k] !== undefined).map((k) => editJson(metadata[k]).map((v) => encodeSafetensors(tensors, { ...metadata, [k]: v }))),
    fc.tuple(fc.constantFrom(...names), fc.array(fc.nat({ max: 40 }), { maxLength: 3 })).map(([name, shape]) => {
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      return encodeSafetensors({ ...tensors, [name]: { shape, data } }, metadata);
    }),
    fc.constantFrom(...names).map((name) => {
      const rest = { ...tensors };
      delete rest[name];
      return encodeSafetensors(rest, metadata);
    }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }).map((extra) => encodeSafetensors(tensors, { ...metadata, ...extra })),
  );
}

function hash(s: string): number {
  let h = 7;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h;
}

async function validFiles(engine: Engine) {
  const classifier = PipelineRun.start(engine, {
    kind: "classifier", items: labelledSentences().slice(0, 60), origin: { name: "s.csv" }, options: { epochs: 1, hiddenSize: 4, embeddingDim: 4, vocabSize: 60 },
  });
  await classifier.session.run({ batches: 2 });
  const lm = PipelineRun.start(engine, { kind: "language-model", items: dinosaurNames().slice(0, 40), origin: { name: "names", preset: "names" }, options: { epochs: 1, hiddenSize: 4, embeddingDim: 4 } });
  const bare = createModel(engine, { type: "recurrent", kind: "gru", options: { inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true } });
  return { models: [classifier.modelFile(), lm.modelFile(), saveModel(bare)], checkpoint: classifier.checkpoint() };
}

describe("fuzzing what users bring", () => {
  it(`model files: ${RUNS} mutated and edited files load or are refused with a GatedError, within the memory limit`, async () => {
    const engine = await createEngine({ backend: "wasm-simd", seed: 1, maxMemoryMB: 64 });
    const { models } = await validFiles(engine);
    const base = engine.arena.usedBytes;
    const property = fc.property(fc.oneof(...models.flatMap((m) => [mutated(m), editedHeader(m)])), (bytes) =>
      survives(() => {
        const { model } = loadModel(engine, bytes, "fuzz.safetensors");
        model.dispose();
      }),
    );
    fc.assert(property, { numRuns: RUNS });
    // Refused files keep nothing; loaded ones were disposed.
    expect(engine.arena.usedBytes).toBe(base);
  }, 120_000);

  it(`checkpoints: ${RUNS / 3} mutated and edited checkpoints resume or are refused with a GatedError`, async () => {
    const engine = await createEngine({ backend: "wasm-simd", seed: 1, maxMemoryMB: 64 });
    const { checkpoint } = await validFiles(engine);
    const items = labelledSentences().slice(0, 60);
    fc.assert(
      fc.property(fc.oneof(mutated(checkpoint), editedHeader(checkpoint)), (bytes) =>
        survives(() => {
          decodeCheckpoint(bytes, "fuzz.checkpoint");
          PipelineRun.resume(engine, bytes, items, {}, "fuzz.checkpoint").dispose();
        }),
      ),
      { numRuns: RUNS / 3 },
    );
  }, 120_000);

  const csv = labelledSentences().slice(0, 30).map((r) => `"${r.text.replace(/"/g, '""')}",${r.label}`).join("\n");
  const texts = {
    labelled: `text,label\n${csv}\n`,
    pairs: "hello\thola\nthank you\tgracias\tCC-BY\n",
    lines: dinosaurNames().slice(0, 30).join("\n"),
    series: "date,co2\n1958-03,315.7\n1958-04,317.45\n1958-05,317.51\n",
  };
  const textMutations = (valid: string) =>
    fc.oneof(
      fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
      fc.tuple(fc.nat({ max: valid.length }), fc.string({ maxLength: 16, unit: "grapheme" })).map(([at, s]) => valid.slice(0, at) + s + valid.slice(at)),
      fc.tuple(fc.nat({ max: valid.length }), fc.constantFrom('"', ",", "\t", "\n", "\r", "\r\n", "\uFEFF", "\u0000", "\uD800")).map(([at, s]) => valid.slice(0, at) + s + valid.slice(at)),
      fc.string({ maxLength: 200, unit: "binary" }),
    );

  it.each([
    ["CSV/TSV records", (t: string) => parseDelimited(t, ",", "f.csv"), texts.labelled],
    ["labelled text (CSV)", (t: string) => parseLabelledText(t, { delimiter: ",", source: "f.csv" }), texts.labelled],
    ["labelled text (TSV)", (t: string) => parseLabelledText(t, { delimiter: "\t", source: "f.tsv" }), texts.labelled.replace(/,/g, "\t")],
    ["sentence pairs", (t: string) => parseParallelText(t, { source: "f.tsv" }), texts.pairs],
    ["lines", (t: string) => parseLines(t, { source: "f.txt" }), texts.lines],
    ["numeric series", (t: string) => parseNumericSeries(t, { source: "f.csv" }), texts.series],
    ["numeric series by column", (t: string) => parseNumericSeries(t, { source: "f.csv", column: "co2" }), texts.series],
  ] as const)(`%s: ${RUNS} mutated and random texts parse or are refused with a GatedError`, (_, parse, valid) => {
    fc.assert(fc.property(textMutations(valid), (text) => survives(() => parse(text))), { numRuns: RUNS });
  });

  it("regression cases found by fuzzing stay fixed", async () => {
    const engine = await createEngine({ backend: "wasm-simd", seed: 1 });
    const cases: Uint8Array[] = [
      // A tensor entry that is not an object.
      encodeSafetensors({}, { format: "gated-model", version: "2", config: JSON.stringify({ type: "recurrent", kind: "gru", options: { inputSize: 1, hiddenSize: 1 } }) }),
    ];
    for (const bytes of cases) expect(survives(() => loadModel(engine, bytes))).toBe(true);
    expect(survives(() => parseLabelledText('"a\n'))).toBe(true);
  });

  it(`training jobs: ${RUNS / 5} random and edited jobs start or are refused with a GatedError, in bounded time`, async () => {
    // Small items for every preset, so a job that does start is quick (the loaders themselves are tested elsewhere).
    const small: Record<string, unknown[]> = {
      names: dinosaurNames().slice(0, 40), sentiment: labelledSentences().slice(0, 60), translate: Array.from({ length: 30 }, (_, i) => ({ source: `day ${i}`, target: `día ${i}` })),
      series: Array.from({ length: 60 }, (_, i) => Math.sin(i / 4)), "first-names": Array.from({ length: 40 }, (_, i) => ({ text: `name${i % 9}`, label: i % 2 ? "a" : "b" })),
    };
    const service = new TrainingService({ maxMemoryMB: 64, loadPreset: (p) => small[p] });
    const valid = { preset: "sentiment", settings: { limit: 40 }, options: { epochs: 1, hiddenSize: 4, embeddingDim: 4 }, threads: 1, progressInterval: 100 };
    const key = fc.constantFrom("preset", "settings", "kind", "file", "items", "options", "testFraction", "threads", "progressInterval", "parameterNorms", "limt", "dataset");
    const value = fc.oneof(json, fc.constantFrom("names", "sentiment", "imdbx", "classifier", "forecaster", -1, 0, 1e9, NaN, null, { name: "f.csv", text: "a,b\n1,2" }, { limit: -1 }, { dataset: "imdb" }, ["x"]));
    const job = fc.oneof(
      fc.dictionary(key, value, { maxKeys: 5 }),
      fc.tuple(key, value).map(([k, v]) => ({ ...valid, [k]: v })),
      json,
    );
    // Found by the property below once: a kind that cannot even be turned into a string.
    await expect(service.start({ kind: { toString: 0 } } as never)).rejects.toThrow(/^unknown pipeline an object; the pipelines are classifier, /);
    await fc.assert(
      fc.asyncProperty(job, async (j) => {
        const t = performance.now();
        try {
          await service.start(j as never);
        } catch (e) {
          if (!(e instanceof GatedError)) throw e;
        }
        const ms = performance.now() - t;
        if (ms > 10 * BUDGET_MS) throw new Error(`took ${ms.toFixed(0)} ms`);
      }),
      { numRuns: RUNS / 5 },
    );
  }, 240_000);

  it("the command line's file arguments: random and mutated files are read or refused with one line, never a crash, within memory and time", async () => {
    const engine = await createEngine({ backend: "wasm-simd", seed: 1, maxMemoryMB: 64 });
    const { models, checkpoint } = await validFiles(engine);
    const bin = new URL("../../bin/gated.mjs", import.meta.url).pathname;
    const parent = new URL("../../test-results/", import.meta.url).pathname;
    mkdirSync(parent, { recursive: true });
    const dir = mkdtempSync(`${parent}fuzz-cli-`);
    const gated = (args: string[]) =>
      new Promise<{ status: number | null; err: string }>((resolve) => {
        // A heap cap makes a run that reads without bounds fail here instead of filling the machine.
        const child = spawn(process.execPath, ["--max-old-space-size=512", bin, ...args], { cwd: dir, timeout: 120_000 });
        let err = "";
        child.stderr.on("data", (d) => (err += d));
        child.on("close", (status) => resolve({ status, err }));
      });
    const commands = (file: string) => [
      ["predict", "--model", file, "great film"], ["train", "--resume", file, "--epochs", "1"], ["train", "--data", file, "--task", "classify", "--epochs", "1", "--out", "o.safetensors"],
      ["forecast", "--data", file, "--model", file], ["train", "--data", file, "--task", "translate", "--epochs", "1", "--out", "o.safetensors"],
    ];
    const inputs = fc.oneof(...[...models, checkpoint].map((m) => mutated(m)), textMutations(texts.labelled).map((t) => new TextEncoder().encode(t)));
    await fc.assert(
      fc.asyncProperty(inputs, fc.nat({ max: 4 }), async (bytes, which) => {
        const file = `in-${which}.bin`;
        writeFileSync(`${dir}/${file}`, bytes);
        const r = await gated(commands(file)[which]);
        // Refused (1, or 2 for usage) with one "gated:" line; or it worked (0). Never a stack trace.
        expect([0, 1, 2]).toContain(r.status);
        if (r.status !== 0) expect(r.err).toMatch(/^gated: /m);
        expect(r.err).not.toMatch(/^\s+at /m);
      }),
      { numRuns: 40 },
    );
  }, 600_000);
});

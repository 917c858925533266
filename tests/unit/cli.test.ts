// The `gated` command as users run it (bin/gated.mjs over the built dist/):
// training on a user's file and on a preset, using the saved models, and a
// clear one-line error with a non-zero status for every bad argument or file.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const bin = new URL("../../bin/gated.mjs", import.meta.url).pathname;
const parent = new URL("../../test-results/", import.meta.url).pathname;
mkdirSync(parent, { recursive: true });
const dir = mkdtempSync(`${parent}cli-`);

function gated(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: dir });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const REVIEWS = [
  ...["great film", "loved it", "wonderful acting", "a great story", "really good fun", "superb and moving", "good cast", "great music"].map((t) => [t, "pos"]),
  ...["awful film", "hated it", "terrible acting", "a dull story", "really bad", "boring and slow", "bad cast", "awful music"].map((t) => [t, "neg"]),
];

describe("gated CLI", () => {
  it("prints help", () => {
    const r = gated("help");
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/gated train <preset>/);
    expect(r.out).toMatch(/translate\s+English → Spanish phrases/);
  });

  it("trains a classifier on a user's CSV, saves it, predicts and evaluates with it", () => {
    const csv = ["text,label", ...Array.from({ length: 4 }, () => REVIEWS.map(([t, l]) => `"${t}",${l}`)).flat()].join("\n");
    writeFileSync(`${dir}/reviews.csv`, csv);
    const t = gated(
      "train", "--data", "reviews.csv", "--task", "classify", "--epochs", "30", "--patience", "30", "--lr", "0.01", "--hidden", "16",
      "--embedding", "8", "--out", "reviews.safetensors", "--seed", "3",
    );
    expect(t.err).toBe("");
    expect(t.status).toBe(0);
    expect(t.out).toMatch(/reviews.csv: \d+ training examples/);
    expect(t.out).toMatch(/held-out accuracy \d+\.\d% on \d+ texts/);
    expect(t.out).toMatch(/saved reviews.safetensors/);
    const p = gated("predict", "--model", "reviews.safetensors", "a great film", "awful and boring");
    expect(p.status).toBe(0);
    const lines = p.out.trim().split("\n");
    expect(lines[0]).toMatch(/^pos\tneg \d+\.\d%, pos \d+\.\d%\ta great film$/);
    expect(lines[1]).toMatch(/^neg\t/);
    // --json: one object per text, the exact probabilities, in the card's label order; the same verdicts.
    const j = gated("predict", "--model", "reviews.safetensors", "--json", "a great film", "awful and boring");
    expect(j.status).toBe(0);
    const objects = j.out.trim().split("\n").map((l) => JSON.parse(l));
    expect(objects.map((o) => [o.text, o.label])).toEqual([["a great film", "pos"], ["awful and boring", "neg"]]);
    for (const o of objects) {
      expect(Object.keys(o.probabilities)).toEqual(["neg", "pos"]);
      expect(o.probabilities.neg + o.probabilities.pos).toBeCloseTo(1, 6);
    }
    expect(lines[0]).toContain(`pos ${(100 * objects[0].probabilities.pos).toFixed(1)}%`);
    expect(gated("predict", "--model", "reviews.safetensors", "--json", "--per-word", "x").err).toMatch(/--json and --per-word go apart/);
    const e = gated("eval", "--model", "reviews.safetensors", "--data", "reviews.csv");
    expect(e.status).toBe(0);
    expect(e.out).toMatch(/held-out accuracy (9\d|100)\.\d% on 64 texts/);
  });

  it("trains a preset briefly and generates from it", () => {
    const t = gated("train", "names", "--epochs", "2", "--limit", "300", "--hidden", "32", "--out", "names.safetensors");
    expect(t.status).toBe(0);
    expect(t.out).toMatch(/held-out perplexity [\d.]+ on \d+ texts; [\d.]+% of 100 samples are not in the data/);
    const g = gated("generate", "--model", "names.safetensors", "-n", "3", "--prefix", "ty", "--seed", "1", "--temperature", "0.5");
    expect(g.status).toBe(0);
    const names = g.out.trim().split("\n");
    expect(names).toHaveLength(3);
    for (const n of names) expect(n.startsWith("ty")).toBe(true);
    const wrong = gated("translate", "--model", "names.safetensors", "hello");
    expect(wrong.status).toBe(2);
    expect(wrong.err).toMatch(/translate needs a translator model; this one is a language-model/);
  });

  it.each([
    [["frobnicate"], 2, /unknown command "frobnicate"; run gated help/],
    [["train"], 2, /train needs a preset or --data FILE --task TASK/],
    [["train", "weather"], 2, /unknown preset "weather"; use one of names, sentiment, translate, series, first-names/],
    [["train", "names", "--epochs", "0"], 2, /--epochs must be an integer from 1 to 10000, got "0"/],
    [["train", "names", "--lr", "fast"], 2, /--lr must be a number from 1e-7 to 10, got "fast"/],
    [["train", "names", "--cell", "transformer"], 2, /--cell must be one of rnn, lstm, gru, got "transformer"/],
    [["train", "names", "--colour", "red"], 2, /Unknown option '--colour'/],
    [["train", "names", "--pairs", "100"], 2, /--pairs is an option of the translate preset/],
    [["train", "--data", "x.csv"], 2, /--data needs --task \(classify, generate, translate, forecast, generate-by-label\)/],
    [["train", "--data", "x.csv", "--task", "summarize"], 2, /unknown --task "summarize"; use one of classify, generate/],
    [["train", "--data", "missing.csv", "--task", "classify"], 1, /cannot read missing.csv: no such file/],
    [["predict", "hello"], 2, /--model FILE is required/],
    [["predict", "--model", "nowhere.safetensors", "hi"], 1, /cannot read the model file nowhere.safetensors/],
  ] as const)("refuses %j with status %i", (args, status, pattern) => {
    const r = gated(...args);
    expect(r.status).toBe(status);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(pattern);
  });

  it("refuses malformed data files with the line number, and corrupt model files with the reason", () => {
    writeFileSync(`${dir}/bad.csv`, "text,label\ngood,pos\n\"unclosed,neg\n");
    const r = gated("train", "--data", "bad.csv", "--task", "classify");
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/bad.csv, line 3: a quoted field is never closed/);
    writeFileSync(`${dir}/pairs.tsv`, "hello\thola\nno tab\n");
    expect(gated("train", "--data", "pairs.tsv", "--task", "translate").err).toMatch(/pairs.tsv, line 2: expected source<TAB>target/);
    writeFileSync(`${dir}/corrupt.safetensors`, new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 0x7b]));
    const c = gated("generate", "--model", "corrupt.safetensors");
    expect(c.status).toBe(1);
    expect(c.err).toMatch(/corrupt.safetensors is not a valid model file: its header is not valid JSON/);
  });
});

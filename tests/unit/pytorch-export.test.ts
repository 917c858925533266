// Out of the browser, for real: models trained by Gated are exported with
// `gated export`, then run by Debian's PyTorch (predict.py agrees with Gated
// within 1e-4), trained further under torchrun on two processes (the result
// loads back into Gated), and a checkpoint's optimizer state carries over (the
// first continued steps give Gated's own losses). ONNX files pass onnx's checker.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../../web/lib/index.ts";
import { PipelineRun } from "../../web/lib/pipelines/run.ts";
import { loadModel } from "../../web/lib/persist/model-file.ts";
import type { SequenceTagger } from "../../web/lib/models/tagger.ts";
import { tokenBatch } from "../../web/lib/models/batch.ts";
import { forecast } from "../../web/lib/pipelines/forecaster/pipeline.ts";
import type { ForecasterCard, LanguageModelCard } from "../../web/lib/persist/card.ts";
import { tokenizerOf, type TokenizerSpec } from "../../web/lib/text/tokenizer.ts";
import { PYTHON_SOURCES } from "../../web/lib/export/pytorch/sources.ts";
import { BOS, EOS, Vocabulary } from "../../web/lib/text/vocab.ts";
import { exportPytorch } from "../../web/lib/export/pytorch/export.ts";
import { createModel } from "../../web/lib/models/create.ts";
import { generated } from "../../scripts/embed-python.mjs";

const PYTHON = "/usr/bin/python3"; // Debian's, which has Debian's torch (another python3 on the PATH may not)
const TORCHRUN = "/usr/bin/torchrun";
const bin = new URL("../../bin/gated.mjs", import.meta.url).pathname;
const parent = new URL("../../test-results/", import.meta.url).pathname;
mkdirSync(parent, { recursive: true });
const dir = mkdtempSync(`${parent}torch-`);
const TOL = 1e-4;

function run(cmd: string, args: string[], cwd = dir) {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd, env: { ...process.env, OMP_NUM_THREADS: "1" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}
const gated = (...args: string[]) => run(process.execPath, [bin, ...args]);
const python = (folder: string, script: string, ...args: string[]) => run(PYTHON, [script, ...args], join(dir, folder));
const jsonLines = (out: string) => out.trim().split("\n").filter((l) => l.startsWith("{") || l.includes("]:{")).map((l) => JSON.parse(l.slice(l.indexOf("{"))));

const REVIEWS = [
  ...["great film", "loved it", "wonderful acting", "a great story", "really good fun", "superb and moving", "good cast", "great music", "a joy"].map((t) => ({ text: t, label: "pos" })),
  ...["awful film", "hated it", "terrible acting", "a dull story", "really bad", "boring and slow", "bad cast", "awful music", "a mess"].map((t) => ({ text: t, label: "neg" })),
];
const NAMES = ["anna", "bruno", "carla", "diego", "elena", "fabio", "gloria", "hugo", "irene", "jorge", "karla", "luis"];
const PAIRS = [["hello", "hola"], ["good morning", "buenos días"], ["thank you", "gracias"], ["good night", "buenas noches"], ["see you", "hasta luego"], ["my friend", "mi amigo"], ["the house", "la casa"], ["the cat", "el gato"]];
const SERIES = Array.from({ length: 70 }, (_, i) => 10 + 0.3 * i + 2 * Math.sin(i / 3));
const small = { epochs: 3, hiddenSize: 8, embeddingDim: 6, batchSize: 4, seed: 2 };

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine({ seed: 1 });
  writeFileSync(join(dir, "reviews.csv"), `text,label\n${REVIEWS.map((r) => `${r.text},${r.label}`).join("\n")}\n`);
  writeFileSync(join(dir, "series.csv"), `value\n${SERIES.join("\n")}\n`);
  writeFileSync(join(dir, "names.txt"), `${NAMES.join("\n")}\n`);
  writeFileSync(join(dir, "pairs.tsv"), `${PAIRS.map((p) => p.join("\t")).join("\n")}\n`);
});
afterAll(() => engine?.dispose());

/** torchrun on two processes for an epoch of `data`; the model it writes loads back into Gated. */
function trainOnTwo(folder: string, data: string, out: string) {
  const log = jsonLines(run(TORCHRUN, ["--redirects", "1", "--tee", "1", "--nproc_per_node=2", "train.py", "--data", `../${data}`, "--epochs", "1", "--out", `../${out}`], join(dir, folder)));
  expect(log.filter((l) => "epoch" in l).map((l) => [l.epoch, l.processes])).toEqual([[1, 2]]);
  return loadModel(engine, readFileSync(join(dir, out)));
}

async function trained(kind: "classifier" | "language-model" | "forecaster" | "generator" | "translator", items: unknown, options: Record<string, unknown>, file: string) {
  const r = PipelineRun.start(engine, { kind, items, origin: { name: file, ...(kind === "forecaster" ? { column: "value" } : {}) }, options, testFraction: 0.1 });
  await r.session.run();
  writeFileSync(join(dir, file), r.modelFile());
  r.dispose();
  return loadModel(engine, readFileSync(join(dir, file)));
}

describe("export to PyTorch", () => {
  it("the embedded Python sources are the files in python/", () => {
    expect(readFileSync(new URL("../../web/lib/export/pytorch/sources.ts", import.meta.url), "utf8")).toBe(generated());
  });

  it("model.py's tokenizers split and join texts as Gated's do", () => {
    mkdirSync(join(dir, "tok"), { recursive: true });
    writeFileSync(join(dir, "tok", "model.py"), PYTHON_SOURCES["model.py"]);
    const texts = ["Don't STOP <br />me now!", "café  naïve — 1984's", "e\u0301cole ¿qué? ¡sí! (ok)", "emoji 😀 and 10,000 $5", "tab\tand\nnew\u00a0line", "ﬁne İstanbul ΣΑΣ", "", "   "];
    const specs: TokenizerSpec[] = [{ kind: "word", lowercase: true }, { kind: "word", lowercase: false }, { kind: "char", lowercase: true }];
    const script = "import json, sys\nfrom model import tokenize, detokenize\nfor spec, text in json.load(sys.stdin):\n    t = tokenize(text, spec, 20)\n    print(json.dumps([t, detokenize(t, spec)]))";
    const cases = specs.flatMap((spec) => texts.map((text) => [spec, text] as const));
    const r = spawnSync(PYTHON, ["-c", script], { cwd: join(dir, "tok"), input: JSON.stringify(cases), encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const theirs = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(theirs).toEqual(cases.map(([spec, text]) => {
      const tok = tokenizerOf(spec);
      const tokens = tok.tokenize(text, 20);
      return [tokens, tok.detokenize(tokens)];
    }));
  });

  it("a classifier: predict.py prints what gated predict --json prints; torchrun on two processes trains it further and Gated loads the result", async () => {
    await trained("classifier", REVIEWS, { ...small, cell: "lstm", bidirectional: true, minCount: 1 }, "clf.safetensors");
    gated("export", "--model", "clf.safetensors", "--format", "pytorch", "--out", "clf");
    const texts = ["a great film", "boring acting", "never seen words", ""];
    const compare = (model: string) => {
      const ours = jsonLines(gated("predict", "--model", model, "--json", ...texts));
      const theirs = jsonLines(python("clf", "predict.py", "--model", join(dir, model), ...texts));
      expect(theirs.map((r) => r.label)).toEqual(ours.map((r) => r.label));
      ours.forEach((r, i) => Object.entries(r.probabilities as Record<string, number>).forEach(([label, p]) => expect(Math.abs(theirs[i].probabilities[label] - p)).toBeLessThan(TOL)));
      return ours;
    };
    const before = compare("clf.safetensors");
    const log = jsonLines(run(TORCHRUN, ["--redirects", "1", "--tee", "1", "--nproc_per_node=2", "train.py", "--data", "../reviews.csv", "--epochs", "2", "--out", "../more.safetensors"], join(dir, "clf")));
    expect(log.filter((l) => "epoch" in l).map((l) => [l.epoch, l.processes])).toEqual([[1, 2], [2, 2]]);
    // Loaded back by Gated, the continued model answers as PyTorch's does, and differently from before.
    const after = compare("more.safetensors");
    expect(after.map((r) => r.probabilities.pos)).not.toEqual(before.map((r) => r.probabilities.pos));
  });

  it("a language model: predict.py --score gives Gated's loss of each text", async () => {
    const { model, card } = await trained("language-model", NAMES, { ...small, cell: "gru", numLayers: 2 }, "lm.safetensors");
    gated("export", "--model", "lm.safetensors", "--format", "pytorch", "--out", "lm");
    const texts = ["anna", "zorro", "li"];
    const scored = jsonLines(python("lm", "predict.py", "--score", ...texts));
    const c = card as LanguageModelCard;
    const vocab = new Vocabulary(c.vocab);
    texts.forEach((t, i) => {
      const ids = vocab.encode(tokenizerOf(c.tokenizer).tokenize(t, c.maxTokens));
      const loss = (model as SequenceTagger).step(tokenBatch([[BOS, ...ids]]), [...ids, EOS], false).loss;
      expect(Math.abs(scored[i].loss - loss)).toBeLessThan(TOL);
    });
    // Samples come out as texts of the vocabulary's characters.
    const samples = jsonLines(python("lm", "predict.py", "-n", "3", "--seed", "1"));
    expect(samples).toHaveLength(3);
    // Written in the model's own characters, <unk> as Gated writes it (anything else would be a decoding mistake).
    for (const s of samples) for (const ch of (s.text as string).replaceAll("<unk>", "")) expect(c.vocab).toContain(ch);
    expect(trainOnTwo("lm", "names.txt", "lm-more.safetensors").card?.kind).toBe("language-model");
  });

  it("a forecaster: predict.py continues the series as Gated's forecast does", async () => {
    const { embeddingDim: _, ...numeric } = small;
    const { model, card } = await trained("forecaster", SERIES, { ...numeric, cell: "rnn", window: 8 }, "fc.safetensors");
    gated("export", "--model", "fc.safetensors", "--format", "pytorch", "--out", "fc");
    const [{ values }] = jsonLines(python("fc", "predict.py", "--steps", "6"));
    const ours = forecast(model as SequenceTagger, card as ForecasterCard, (card as ForecasterCard).tail, 6);
    values.forEach((v: number, k: number) => expect(Math.abs(v - ours[k])).toBeLessThan(TOL * Math.max(1, Math.abs(ours[k]))));
    const more = trainOnTwo("fc", "series.csv", "fc-more.safetensors");
    // The continued model's card ends where the data file does, to forecast from.
    expect((more.card as ForecasterCard).tail).toEqual(SERIES.slice(-9));
  });

  it("from a checkpoint, the first continued steps give the losses Gated's own next steps give", async () => {
    const options = { epochs: 8, hiddenSize: 6, cell: "lstm", window: 8, batchSize: 512, validationSplit: 0, lr: 0.02, seed: 4 };
    const first = PipelineRun.start(engine, { kind: "forecaster", items: SERIES, origin: { name: "series.csv", column: "value" }, options, testFraction: 0 });
    await first.session.run({ epochs: 5 });
    writeFileSync(join(dir, "fc.checkpoint"), first.checkpoint());
    first.dispose();
    // Gated goes on: one batch per epoch, so each epoch's loss is one step's.
    const losses: number[] = [];
    const resumed = PipelineRun.resume(engine, readFileSync(join(dir, "fc.checkpoint")), SERIES, { progressInterval: 0, onEpoch: (e) => losses.push(e.trainLoss) });
    await resumed.session.run({ epochs: 2 });
    resumed.dispose();
    gated("export", "--checkpoint", "fc.checkpoint", "--format", "pytorch", "--out", "fc-ckpt");
    const steps = jsonLines(python("fc-ckpt", "train.py", "--data", "../series.csv", "--epochs", "2", "--max-steps", "2", "--log-steps", "--out", "../fc-more.safetensors")).filter((l) => "step" in l);
    expect(losses).toHaveLength(2);
    expect(steps).toHaveLength(2);
    // Step 1 is the checkpoint's weights; step 2 follows one Adam update made with the exported moments and step count.
    steps.forEach((s, i) => expect(Math.abs(s.loss - losses[i])).toBeLessThan(TOL * Math.max(1, losses[i])));
    const back = loadModel(engine, readFileSync(join(dir, "fc-more.safetensors")));
    expect(back.card?.kind).toBe("forecaster");
  });

  it("a language model checkpoint with truncated BPTT goes on under torchrun (chunks of 3 steps, gradients averaged once per batch)", async () => {
    const r = PipelineRun.start(engine, { kind: "language-model", items: NAMES, origin: { name: "names.txt" }, options: { ...small, epochs: 2, tbptt: 3 }, testFraction: 0.1 });
    await r.session.run({ epochs: 1 });
    writeFileSync(join(dir, "lm.checkpoint"), r.checkpoint());
    r.dispose();
    gated("export", "--checkpoint", "lm.checkpoint", "--format", "pytorch", "--out", "lm-ckpt");
    expect(JSON.parse(readFileSync(join(dir, "lm-ckpt", "training.json"), "utf8")).options.tbptt).toBe(3);
    expect(trainOnTwo("lm-ckpt", "names.txt", "lm-tbptt.safetensors").card?.kind).toBe("language-model");
  });

  it("a translator: predict.py translates greedily as gated translate does; train.py goes on", async () => {
    await trained("translator", PAIRS.map(([source, target]) => ({ source, target })), { ...small, epochs: 60, lr: 0.01, validationSplit: 0, cell: "gru", attention: "general" }, "tr.safetensors");
    gated("export", "--model", "tr.safetensors", "--format", "pytorch", "--out", "tr");
    const texts = ["good morning", "the cat", "my house"];
    // One line per text (an empty translation is an empty line).
    const ours = gated("translate", "--model", "tr.safetensors", ...texts).replace(/\n$/, "").split("\n");
    expect(ours).toHaveLength(3);
    expect(ours[0]).not.toBe("");
    expect(jsonLines(python("tr", "predict.py", ...texts)).map((r) => r.translation)).toEqual(ours);
    python("tr", "train.py", "--data", "../pairs.tsv", "--out", "../tr-more.safetensors");
    expect(loadModel(engine, readFileSync(join(dir, "tr-more.safetensors"))).card?.kind).toBe("translator");
  });

  it("a generator: predict.py at temperature 0 writes what gated generate does; train.py goes on", async () => {
    await trained("generator", REVIEWS, { ...small, epochs: 40, lr: 0.01, validationSplit: 0, cell: "lstm" }, "gen.safetensors");
    gated("export", "--model", "gen.safetensors", "--format", "pytorch", "--out", "gen");
    for (const condition of ["pos", "neg"]) {
      const ours = gated("generate", "--model", "gen.safetensors", "--condition", condition, "-n", "1", "--temperature", "0").replace(/\n$/, "");
      expect(jsonLines(python("gen", "predict.py", "--condition", condition, "-n", "1", "--temperature", "0"))[0].text).toBe(ours);
    }
    python("gen", "train.py", "--data", "../reviews.csv", "--out", "../gen-more.safetensors");
    expect(loadModel(engine, readFileSync(join(dir, "gen-more.safetensors"))).card?.kind).toBe("generator");
  });

  it("a GRU without PyTorch's reset form is refused, naming why; so are a folder holding other files and bad arguments", () => {
    const config = { type: "classifier" as const, input: { vocabSize: 10, embeddingDim: 3 }, cell: "gru" as const, hiddenSize: 4, numLayers: 1, bidirectional: false, merge: "concat" as const, dropout: 0, recurrentDropout: 0, resetAfter: false, pooling: "last" as const, headDropout: 0, classes: 2 };
    const model = createModel(engine, config);
    const card = { kind: "classifier" as const, version: 1 as const, data: { name: "x", items: 1, testFraction: 0, seed: 1 }, tokenizer: { kind: "word" as const, lowercase: true }, vocab: ["<pad>", "<unk>", "<s>", "</s>", "a", "b", "c", "d", "e", "f"], labels: ["x", "y"], maxTokens: 5 };
    expect(() => exportPytorch({ model: { model, config, card } })).toThrow(/resetAfter: false.*torch\.nn\.GRU has only the other form/);
    model.dispose();
    const r = spawnSync(process.execPath, [bin, "export", "--model", "clf.safetensors", "--format", "pytorch", "--out", "."], { encoding: "utf8", cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot write \.: it holds other files/);
    // Arguments: each mistake named, status 2, nothing written.
    for (const [args, why] of [
      [["--model", "clf.safetensors", "--format", "tflite", "--out", "a"], /--format must be one of onnx, pytorch, got "tflite"/],
      [["--model", "clf.safetensors", "--format", "onnx"], /--out FILE\.onnx is required/],
      [["--model", "clf.safetensors", "--checkpoint", "fc.checkpoint", "--format", "pytorch", "--out", "d"], /give --model FILE or --checkpoint FILE \(one of them\)/],
    ] as const) {
      const bad = spawnSync(process.execPath, [bin, "export", ...args], { encoding: "utf8", cwd: dir });
      expect([bad.status, bad.stderr]).toEqual([2, expect.stringMatching(why)]);
    }
  });
});

describe("export to ONNX from the command line", () => {
  it("writes the graph and its description, which onnx's checker accepts", () => {
    const out = gated("export", "--model", "clf.safetensors", "--format", "onnx", "--out", "clf.onnx");
    expect(out.trim().split("\n")).toEqual(["clf.onnx", "clf.json"]);
    const description = JSON.parse(readFileSync(join(dir, "clf.json"), "utf8"));
    expect(description.graphs.model.inputs.map((i: { name: string }) => i.name)).toEqual(["tokens", "lengths"]);
    expect(description.card.labels).toEqual(["neg", "pos"]);
    run(PYTHON, ["-c", "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", join(dir, "clf.onnx")]);
    const r = spawnSync(process.execPath, [bin, "export", "--checkpoint", "fc.checkpoint", "--format", "onnx", "--out", "x.onnx"], { encoding: "utf8", cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ONNX holds a model for inference: give --model FILE/);
  });
});

// The command line loses no work and trusts no file: a path it cannot write
// is refused before training, a write that fails part-way leaves the old
// file whole, Ctrl-C saves a checkpoint that resumes where it stopped, a
// model file never makes it open another file, counts are capped, and
// options that do not apply are refused rather than ignored.

import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../web/lib/index.ts";
import { loadModel } from "../../web/lib/persist/model-file.ts";
import { decodeSafetensors, encodeSafetensors } from "../../web/lib/persist/safetensors.ts";
import { pipelineFor } from "../../web/lib/pipelines/registry.ts";
import { nodePresetItems } from "../../web/lib/data/node-datasets.ts";

const bin = new URL("../../bin/gated.mjs", import.meta.url).pathname;
const parent = new URL("../../test-results/", import.meta.url).pathname;
mkdirSync(parent, { recursive: true });
const dir = mkdtempSync(`${parent}cli-trust-`);

function gated(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: dir });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const REVIEWS = ["text,label", ...Array.from({ length: 6 }, (_, i) => [`"great film ${i}",pos`, `"awful film ${i}",neg`, `"loved it ${i}",pos`, `"hated it ${i}",neg`]).flat()].join("\n");
writeFileSync(`${dir}/reviews.csv`, REVIEWS);

describe("the command line loses no work", () => {
  it("refuses an --out it cannot write before training", () => {
    mkdirSync(`${dir}/locked`);
    chmodSync(`${dir}/locked`, 0o500);
    const root = process.getuid?.() === 0; // root writes anywhere; a missing folder is refused for everyone
    const r = gated("train", "names", "--epochs", "1", "--out", root ? "missing/folder/names.safetensors" : "locked/names.safetensors");
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/cannot write (missing\/folder|locked)\/names.safetensors: (the folder missing\/folder does not exist|permission denied)/);
    expect(r.out).not.toMatch(/epoch/);
    expect(gated("train", "names", "--out", "locked").err).toMatch(/cannot write locked: it is a folder/);
  });

  it("a write that fails part-way (a file-size limit) leaves the existing model whole and says where the new one went", () => {
    expect(gated("train", "names", "--epochs", "1", "--out", "kept.safetensors").status).toBe(0);
    const before = readFileSync(`${dir}/kept.safetensors`);
    const r = spawnSync("bash", ["-c", `ulimit -f 20; exec "${process.execPath}" "${bin}" train names --epochs 1 --out kept.safetensors`], { encoding: "utf8", cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot write kept.safetensors: no room for the file \(disk full or size limit\); saving the model to .* failed too/);
    expect(readFileSync(`${dir}/kept.safetensors`).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("Ctrl-C stops after the batch, saves a checkpoint and the best weights, and the printed command resumes the run", async () => {
    const child = spawn(process.execPath, [bin, "train", "names", "--epochs", "300", "--patience", "300", "--out", "long.safetensors"], { cwd: dir });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (/epoch 2\/300/.test(out) && !child.killed) child.kill("SIGINT");
    });
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(status).toBe(130);
    expect(out).toMatch(/interrupted at epoch \d+, batch \d+; checkpoint saved to long.checkpoint.safetensors/);
    expect(out).toMatch(/saved long.safetensors/);
    const resume = out.match(/to go on: gated (train --resume .*)$/m)![1].split(" ");
    expect(resume).toEqual(["train", "--resume", "long.checkpoint.safetensors", "--out", "long.safetensors"]);
    const { model } = loadModel(await createEngine(), readFileSync(`${dir}/long.safetensors`));
    expect(model.parameters().length).toBeGreaterThan(0);
    // Resumed for a short while, it goes on from the same epoch and batch.
    const again = spawn(process.execPath, [bin, ...resume], { cwd: dir });
    let more = "";
    again.stdout.on("data", (d) => {
      more += d;
      if (/epoch \d+\/300/.test(more) && !again.killed) again.kill("SIGINT");
    });
    expect(await new Promise((resolve) => again.on("close", resolve))).toBe(130);
    const at = out.match(/interrupted at epoch (\d+), batch (\d+)/)!;
    expect(more).toMatch(new RegExp(`resuming names at epoch ${at[1]}, batch ${Number(at[2]) + 1}`));
  }, 60_000);

  it("--checkpoint-every writes checkpoints while training, and --continue trains a saved model further", () => {
    // Enough data that training outlasts a checkpoint interval.
    writeFileSync(`${dir}/many.csv`, ["text,label", ...Array.from({ length: 3000 }, (_, i) => `"${i % 2 ? "great" : "awful"} film number ${i}",${i % 2 ? "pos" : "neg"}`)].join("\n"));
    const t = gated("train", "--data", "many.csv", "--task", "classify", "--epochs", "8", "--patience", "8", "--out", "r.safetensors", "--checkpoint-every", "1");
    expect(t.status).toBe(0);
    expect(existsSync(`${dir}/r.checkpoint.safetensors`)).toBe(true);
    const c = gated("train", "--continue", "r.safetensors", "--data", "reviews.csv", "--epochs", "2", "--out", "r2.safetensors");
    expect(c.err).toBe("");
    expect(c.status).toBe(0);
    expect(c.out).toMatch(/training completed after 2 epochs/);
    expect(gated("train", "--continue", "r.safetensors", "--data", "reviews.csv", "--hidden", "16").err).toMatch(/hiddenSize cannot change when a model is trained further/);
    const cp = gated("train", "--resume", "r.checkpoint.safetensors", "--out", "r3.safetensors");
    expect(cp.status).toBe(2);
    expect(cp.err).toMatch(/r.checkpoint.safetensors was trained on the file many.csv; give it with --data FILE/);
    expect(gated("train", "--resume", "r.checkpoint.safetensors", "--data", "reviews.csv").err).toMatch(/was trained on 3000 items of many.csv; this data has 24/);
    expect(gated("train", "--resume", "r.checkpoint.safetensors", "--data", "many.csv", "--out", "r3.safetensors").status).toBe(0);
  }, 30_000);

  it("a diverging training is reported and not saved", () => {
    const r = gated("train", "series", "--lr", "10", "--clip-norm", "0", "--optimizer", "sgd", "--epochs", "3", "--out", "diverged.safetensors");
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/the model diverged; it was not saved/);
    expect(existsSync(`${dir}/diverged.safetensors`)).toBe(false);
  });

  it("the held-out metrics printed by train are the library's evaluation of the saved model", async () => {
    const r = gated("train", "sentiment", "--epochs", "2", "--hidden", "16", "--out", "s.safetensors", "--seed", "4");
    expect(r.status).toBe(0);
    const printed = Number(r.out.match(/held-out accuracy ([\d.]+)% on 300 texts/)![1]);
    const { model, card } = loadModel(await createEngine({ seed: 4 }), readFileSync(`${dir}/s.safetensors`));
    const pipeline = pipelineFor(card!.kind);
    const split = pipeline.holdOut(await nodePresetItems("sentiment", {}, 4), card!.data.testFraction, card!.data.seed);
    const accuracy = pipeline.evaluate(model, card!, split, 1).metrics[0].value;
    expect(printed).toBe(Number((100 * accuracy).toFixed(1)));
    expect(gated("eval", "--model", "s.safetensors").out).toMatch(new RegExp(`held-out accuracy ${printed.toFixed(1)}% on 300 texts`));
  }, 60_000);
});

describe("the command line trusts no file", () => {
  it("a model file never chooses a file to read: a file-trained model needs --data, and a crafted card is refused", () => {
    expect(gated("train", "--data", "reviews.csv", "--task", "classify", "--epochs", "1", "--out", "m.safetensors").status).toBe(0);
    const { tensors, metadata } = decodeSafetensors(readFileSync(`${dir}/m.safetensors`));
    const card = JSON.parse(metadata.card);
    writeFileSync(`${dir}/named.safetensors`, encodeSafetensors(tensors, { ...metadata, card: JSON.stringify({ ...card, data: { ...card.data, name: "/etc/hostname" } }) }));
    const e = gated("eval", "--model", "named.safetensors");
    expect(e.status).toBe(2);
    expect(e.err).toMatch(/trained on the file \/etc\/hostname; give it with --data FILE/);
    expect(e.out).toBe("");
    writeFileSync(`${dir}/crafted.safetensors`, encodeSafetensors(tensors, { ...metadata, card: JSON.stringify({ ...card, data: { ...card.data, file: "/etc/hostname" } }) }));
    expect(gated("eval", "--model", "crafted.safetensors").err).toMatch(/model card: data has unknown entries file/);
  });

  it("predictions do not depend on the other texts given (no dropout at prediction)", () => {
    const a = gated("predict", "--model", "m.safetensors", "great film").out.split("\t")[1];
    const b = gated("predict", "--model", "m.safetensors", "awful", "great film", "meh").out.trim().split("\n")[1].split("\t")[1];
    expect(a).toBe(b);
  });

  it("caps counts with a clear message, and streams samples", () => {
    expect(gated("train", "names", "--epochs", "1", "--hidden", "8", "--out", "n.safetensors").status).toBe(0);
    expect(gated("generate", "--model", "n.safetensors", "-n", "1000000000").err).toMatch(/-n must be an integer from 1 to 10000, got "1000000000"/);
    expect(gated("generate", "--model", "n.safetensors", "-n", "25", "--seed", "2").out.trim().split("\n")).toHaveLength(25);
    expect(gated("train", "series", "--epochs", "1", "--out", "c.safetensors").status).toBe(0);
    expect(gated("forecast", "--model", "c.safetensors", "--steps", "100000000").err).toMatch(/--steps must be an integer from 1 to 10000/);
    expect(gated("forecast", "--model", "c.safetensors", "--steps", "3").out.trim().split("\n")).toHaveLength(3);
  });

  it("refuses text that is not UTF-8 with its line, and reads it as Latin-1 when told", () => {
    const latin = Buffer.concat([Buffer.from("text,label\ngood film,pos\n"), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from(" au lait,pos\nbad,neg\nawful,neg\ngreat,pos\n")]);
    writeFileSync(`${dir}/latin.csv`, latin);
    const r = gated("train", "--data", "latin.csv", "--task", "classify", "--epochs", "1");
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/latin.csv, line 3: not valid UTF-8 text \(if the file is Latin-1, say so with --encoding latin1\)/);
    const ok = gated("train", "--data", "latin.csv", "--task", "classify", "--epochs", "1", "--encoding", "latin1", "--out", "latin.safetensors");
    expect(ok.status).toBe(0);
  });
});

describe("every argument is checked, before any data is read", () => {
  it.each([
    [["train", "names", "--model", "x.safetensors"], /--model is not an option of gated train/],
    [["predict", "--model", "m.safetensors", "--epochs", "5", "hi"], /--epochs is not an option of gated predict/],
    [["forecast", "--model", "c.safetensors", "--column", "nope"], /--column goes with --data/],
    [["train", "names", "--pooling", "max"], /--pooling is not an option of the names preset \(text generation\)/],
    [["train", "series", "--embedding", "8"], /--embedding is not an option of the series preset/],
    [["train", "names", "--hidden", "0x10"], /--hidden must be an integer from 1 to 4096, got "0x10"/],
    [["train", "names", "--hidden", "1e"], /--hidden must be an integer/],
    [["train", "--data", "missing.csv", "--task", "classify", "--lr=-1"], /--lr must be a number from 1e-7 to 10, got "-1"/],
    [["train", "--data", "missing.csv", "--task", "classify", "--lr", "-1"], /Option '--lr' argument is ambiguous/],
    [["train", "--data", "missing.csv", "--task", "classify", "--optimizer", "adamax"], /--optimizer must be one of adam, adamw, sgd, rmsprop, adagrad/],
    [["train", "--data", "missing.csv", "--task", "classify", "--patience", "0"], /--patience must be an integer from 1 to 10000/],
    [["generate", "--model", "n.safetensors", "--condition", "female"], /--condition is for generate-by-label models/],
    [["eval", "--model", "m.safetensors", "--held-out"], /--held-out goes with --data/],
    [["train", "names", "--version"], /--version goes alone/],
  ] as const)("%j is refused with status 2", (args, pattern) => {
    const r = gated(...args);
    expect(r.status).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(pattern);
  });

  it("says what went wrong: memory beyond the limit, a header-only file, labels the model does not know", () => {
    const big = gated("train", "names", "--hidden", "2000", "--max-memory", "16");
    expect(big.status).toBe(1);
    expect(big.err).toMatch(/exceeds the engine's limit of 16.0 MiB .* raise the engine's maxMemoryMB \(the CLI's --max-memory\)/);
    writeFileSync(`${dir}/header.csv`, "text,label\n");
    expect(gated("train", "--data", "header.csv", "--task", "classify").err).toMatch(/header.csv: the file has a header row but no examples/);
    writeFileSync(`${dir}/other.csv`, "text,label\ngreat,good\nbad,poor\n");
    // Texts whose labels the model never learned are scored (as mistakes), and the report says so.
    const e = gated("eval", "--model", "m.safetensors", "--data", "other.csv");
    expect(e.status).toBe(0);
    expect(e.out).toMatch(/accuracy 0.0% on 2 texts/);
    expect(e.out).toMatch(/note: 2 texts had a label the model never saw in training \(good, poor\); they count as mistakes/);
  });

  it("has --version and per-command help", () => {
    expect(gated("--version").out.trim()).toBe(`gated ${JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version}`);
    const help = gated("train", "--help");
    expect(help.status).toBe(0);
    expect(help.out).toMatch(/gated train <preset> \[options\]/);
    expect(help.out).toMatch(/--checkpoint-every/);
    expect(help.out).toMatch(/--recurrent-dropout/);
    expect(gated("generate", "--help").out).toMatch(/--temperature/);
  });
});

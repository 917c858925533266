// The command line's files under a bad-input probe: only regular files are
// read, within a budget; the model is never written over an input or over a
// device; a full disk or a signal loses no work; a crafted model file cannot
// drive the terminal; an option given twice is refused.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../web/lib/index.ts";
import { loadModel, saveModel } from "../../web/lib/persist/model-file.ts";

const bin = new URL("../../bin/gated.mjs", import.meta.url).pathname;
const parent = new URL("../../test-results/", import.meta.url).pathname;
mkdirSync(parent, { recursive: true });
const dir = mkdtempSync(`${parent}cli-files-`);

function gated(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: dir, timeout: 120_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const REVIEWS = ["text,label", ...Array.from({ length: 40 }, (_, i) => `"${i % 2 ? "great" : "awful"} film ${i}",${i % 2 ? "pos" : "neg"}`)].join("\n");
writeFileSync(`${dir}/reviews.csv`, REVIEWS);

describe("what the command line reads", () => {
  it("refuses a device, a pipe or a folder as data or model, at once and without reading it", () => {
    const fifo = `${dir}/fifo`;
    spawnSync("mkfifo", [fifo]);
    for (const [flag, path, what] of [["--data", "/dev/zero", "a device"], ["--data", fifo, "a pipe"], ["--data", dir, "a folder"]] as const) {
      const r = gated("train", "--data", path, "--task", "classify");
      expect(r.status, flag).toBe(1);
      expect(r.err).toMatch(new RegExp(`cannot read ${path.replace(/[/.]/g, "\\$&")}: it is ${what}, not a file`));
    }
    const m = gated("predict", "--model", "/dev/urandom", "hi");
    expect(m.err).toMatch(/cannot read the model file \/dev\/urandom: it is a device, not a file/);
    expect(gated("train", "--resume", "/dev/stdin").err).toMatch(/cannot read the checkpoint \/dev\/stdin: it is (a pipe|a device|a socket|not a file)/);
  });
});

describe("what the command line writes", () => {
  it("never writes the model over its data, over a device or over a pipe", () => {
    const before = readFileSync(`${dir}/reviews.csv`);
    const r = gated("train", "--data", "reviews.csv", "--task", "classify", "--epochs", "1", "--out", "reviews.csv");
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/cannot write reviews.csv: it is the input reviews.csv, which would be lost; choose another --out/);
    expect(readFileSync(`${dir}/reviews.csv`).equals(before)).toBe(true);
    const dev = gated("train", "names", "--epochs", "1", "--out", "/dev/null");
    expect(dev.err).toMatch(/cannot write \/dev\/null: it is a device; give the path of a file/);
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    spawnSync("mkfifo", [`${dir}/out-fifo`]);
    expect(gated("train", "names", "--epochs", "1", "--out", "out-fifo").err).toMatch(/cannot write out-fifo: it is a pipe/);
    // A folder that takes no new files, whatever the permissions say (root writes anywhere else).
    expect(gated("train", "names", "--epochs", "1", "--out", "/proc/model.safetensors").err).toMatch(/cannot write \/proc\/model.safetensors: the folder \/proc does not take new files/);
  });

  it("a full disk during --checkpoint-every keeps training and puts the checkpoint in a new rescue folder; the model too, never over an existing file", () => {
    writeFileSync(`${dir}/many.csv`, ["text,label", ...Array.from({ length: 2000 }, (_, i) => `"${i % 2 ? "great" : "awful"} film number ${i}",${i % 2 ? "pos" : "neg"}`)].join("\n"));
    // 20 blocks of 512 bytes: too small for any model or checkpoint, here and in the rescue folder alike.
    const r = spawnSync("bash", ["-c", `ulimit -f 20; exec "${process.execPath}" "${bin}" train --data many.csv --task classify --epochs 400 --patience 400 --hidden 16 --out full.safetensors --checkpoint-every 1`], { encoding: "utf8", cwd: dir });
    expect(r.stderr).toMatch(/cannot write full.checkpoint.safetensors: no room for the file \(disk full or size limit\); saving the checkpoint to .*gated-rescue-.* failed too/);
    expect(r.stdout).toMatch(/training (completed|stopped early) after \d+ epochs/);
    expect(r.stdout).toMatch(/held-out accuracy/);
    expect(r.status).toBe(1);
    expect(existsSync(`${dir}/full.safetensors`)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 120_000);

  it("SIGTERM (docker, systemd, timeout) stops after the batch and saves the checkpoint and the model, as Ctrl-C does", async () => {
    const child = spawn(process.execPath, [bin, "train", "names", "--epochs", "300", "--patience", "300", "--out", "term.safetensors"], { cwd: dir });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (/epoch 2\/300/.test(out) && !child.killed) child.kill("SIGTERM");
    });
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(status).toBe(130);
    expect(out).toMatch(/checkpoint saved to term.checkpoint.safetensors/);
    expect(out).toMatch(/saved term.safetensors/);
    expect(loadModel(await createEngine(), readFileSync(`${dir}/term.safetensors`)).card?.kind).toBe("language-model");
  }, 120_000);

  it("a second Ctrl-C quits at once and leaves no half-written file", async () => {
    const child = spawn(process.execPath, [bin, "train", "names", "--epochs", "300", "--patience", "300", "--out", "twice.safetensors"], { cwd: dir });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (/epoch 2\/300/.test(out) && !child.killed) child.kill("SIGINT");
    });
    child.stderr.on("data", (d) => {
      err += d;
      if (/stopping after this batch/.test(err)) child.kill("SIGINT");
    });
    expect(await new Promise((resolve) => child.on("close", resolve))).toBe(130);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp") || f.endsWith(".probe"))).toEqual([]);
  }, 120_000);

  it("a model whose folder vanished during training goes to a new rescue folder, never over a file already there", async () => {
    const tmp = `${dir}/tmp`;
    mkdirSync(tmp);
    writeFileSync(`${tmp}/n.safetensors`, "someone else's file");
    const once = async () => {
      mkdirSync(`${dir}/gone`, { recursive: true });
      const child = spawn(process.execPath, [bin, "train", "names", "--epochs", "3", "--patience", "3", "--out", "gone/n.safetensors"], { cwd: dir, env: { ...process.env, TMPDIR: tmp } });
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => {
        out += d;
        if (/epoch 1\/3/.test(out)) rmSync(`${dir}/gone`, { recursive: true, force: true });
      });
      child.stderr.on("data", (d) => (err += d));
      const status = await new Promise((resolve) => child.on("close", resolve));
      return { status, err };
    };
    const runs = [await once(), await once()];
    const places = runs.map((r) => r.err.match(/the model was saved to (\S+) instead/)?.[1]);
    for (const [i, r] of runs.entries()) {
      expect(r.status).toBe(1);
      expect(places[i]).toMatch(new RegExp(`^${tmp}/gated-rescue-[^/]+/n.safetensors$`));
      expect(loadModel(await createEngine(), readFileSync(places[i]!)).card?.kind).toBe("language-model");
    }
    expect(places[0]).not.toBe(places[1]);
    expect(readFileSync(`${tmp}/n.safetensors`, "utf8")).toBe("someone else's file");
  }, 120_000);
});

describe("what the command line prints", () => {
  it("shows a crafted model's control characters as escapes, never sends them to the terminal", async () => {
    const t = gated("train", "--data", "reviews.csv", "--task", "classify", "--epochs", "1", "--out", "plain.safetensors");
    expect(t.status).toBe(0);
    const engine = await createEngine();
    const { model, card } = loadModel(engine, readFileSync(`${dir}/plain.safetensors`));
    const evil = { ...card!, labels: ["\u001b]0;pwned\u0007neg", "pos\u001b[2J\r"] } as typeof card;
    writeFileSync(`${dir}/evil.safetensors`, saveModel(model, evil!));
    const r = gated("predict", "--model", "evil.safetensors", "great film");
    expect(r.status).toBe(0);
    expect(r.out + r.err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(r.out).toMatch(/\\u001b/);
  });

  it("refuses an option given twice rather than taking the last", () => {
    const r = gated("train", "names", "--epochs", "1", "--epochs", "5");
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/--epochs is given twice/);
  });
});

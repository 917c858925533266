// The README's usage example runs as written against the built package and
// prints what its comments say it prints; the example it points to learns.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXAMPLES, promised, strip } from "../helpers/readme.ts";

const { engine: example, models: modelExample, pipelines: pipelineExample, workers: workerExample } = EXAMPLES;

/** Runs a README example with plain Node inside the repository (so `import "gated"` is this package); returns its lines. */
function runExample(code: string, name: string): string[] {
  const parent = new URL("../../test-results/", import.meta.url).pathname;
  mkdirSync(parent, { recursive: true });
  const file = `${mkdtempSync(`${parent}readme-`)}/${name}.mjs`;
  writeFileSync(file, code);
  return execFileSync(process.execPath, [file], { encoding: "utf8" }).trim().split("\n");
}


describe("README", () => {
  it("usage example runs with plain Node and prints what its comments say", () => {
    // Inside the repository, so that `import "gated"` resolves to this package.
    const parent = new URL("../../test-results/", import.meta.url).pathname;
    mkdirSync(parent, { recursive: true });
    const file = `${mkdtempSync(`${parent}readme-`)}/example.mjs`;
    writeFileSync(file, example);
    const out = execFileSync(process.execPath, [file], { encoding: "utf8" }).trim().split("\n");
    expect(promised(example)).toHaveLength(2);
    expect(out.map(strip)).toEqual([...promised(example), "true"]);
  });

  it("the models-and-training example runs with plain Node and prints what it promises", () => {
    const parent = new URL("../../test-results/", import.meta.url).pathname;
    mkdirSync(parent, { recursive: true });
    const file = `${mkdtempSync(`${parent}readme-`)}/models.mjs`;
    writeFileSync(file, modelExample);
    const out = execFileSync(process.execPath, [file], { encoding: "utf8" }).trim().split("\n");
    expect(out).toEqual(["true", "true"]);
  });

  it("the pipelines example runs and prints what its comments say: a resumed run ends bit for bit as the uninterrupted one", () => {
    const out = runExample(pipelineExample, "pipelines");
    expect(promised(pipelineExample)).toHaveLength(3);
    expect(out.map(strip)).toEqual(promised(pipelineExample));
  });

  it("the workers example trains in a Node worker thread and prints what its comments say", () => {
    const out = runExample(workerExample, "worker");
    expect(out.filter((l) => /^epoch \d+: perplexity [\d.]+$/.test(l))).toHaveLength(2);
    expect(out.filter((l) => !l.startsWith("epoch")).map(strip)).toEqual(promised(workerExample));
  });

  it("examples/sine-wave.mjs, composed from the layer API, learns the sine wave", () => {
    const script = new URL("../../examples/sine-wave.mjs", import.meta.url).pathname;
    const out = execFileSync(process.execPath, [script, "--epochs", "40"], { encoding: "utf8" });
    expect(out).toMatch(/learned: validation MSE 0\.00\d+/);
  });
});

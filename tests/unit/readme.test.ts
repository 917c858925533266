// The README's examples, type-checked with tsc --strict against the built
// package and run with plain Node, print what their comments say they
// print; the example it points to learns.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileExamples, EXAMPLES, type NodeExample, promised, strip } from "../helpers/readme.ts";

let compiled: Record<NodeExample, string>;

/** Runs a compiled example; returns its lines. */
const run = (name: NodeExample) => execFileSync(process.execPath, [compiled[name]], { encoding: "utf8" }).trim().split("\n");

beforeAll(() => {
  // Inside the repository, so that `import "gated"` resolves to this package (its built files and types).
  const parent = new URL("../../test-results/", import.meta.url).pathname;
  mkdirSync(parent, { recursive: true });
  compiled = compileExamples(mkdtempSync(`${parent}readme-`), new URL("../../node_modules/.bin/tsc", import.meta.url).pathname);
}, 120_000);

describe("README", () => {
  it("the engine example prints what its comments say", () => {
    expect(promised(EXAMPLES.engine)).toHaveLength(2);
    expect(run("engine").map(strip)).toEqual([...promised(EXAMPLES.engine), "true"]);
  });

  it("the models-and-training example prints what it promises", () => {
    expect(run("models")).toEqual(["true", "true"]);
  });

  it("the pipelines example prints what its comments say: a resumed run ends bit for bit as the uninterrupted one", () => {
    expect(promised(EXAMPLES.pipelines)).toHaveLength(3);
    expect(run("pipelines").map(strip)).toEqual(promised(EXAMPLES.pipelines));
  });

  it("the workers example trains in a Node worker thread and prints what its comments say", () => {
    const out = run("workers");
    expect(out.filter((l) => /^epoch \d+: perplexity [\d.]+$/.test(l))).toHaveLength(2);
    expect(out.filter((l) => !l.startsWith("epoch")).map(strip)).toEqual(promised(EXAMPLES.workers));
  });

  it("examples/sine-wave.mjs, composed from the layer API, learns the sine wave", () => {
    const script = new URL("../../examples/sine-wave.mjs", import.meta.url).pathname;
    const out = execFileSync(process.execPath, [script, "--epochs", "40"], { encoding: "utf8" });
    expect(out).toMatch(/learned: validation MSE 0\.00\d+/);
  });
});

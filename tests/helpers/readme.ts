// The README's runnable examples, as its sections give them, what their
// comments promise they print, and how a test builds them: type-checked with
// tsc --strict as a user's TypeScript project would, then run as JavaScript.

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const block = (pattern: RegExp) => readme.match(pattern)![1];

export const EXAMPLES = {
  engine: block(/## Using the engine\s+```ts\n([\s\S]*?)```/),
  models: block(/Models, training and model files come from the same package:\s+```ts\n([\s\S]*?)```/),
  pipelines: block(/### Pipelines[\s\S]*?```ts\n([\s\S]*?)```/),
  workers: block(/### Training in workers[\s\S]*?```ts\n([\s\S]*?)```/),
  /** The browser snippet of "In your own web app" (it runs in the consumer test's app). */
  webApp: block(/### In your own web app[\s\S]*?```ts\n([\s\S]*?)```/),
};

export type NodeExample = Exclude<keyof typeof EXAMPLES, "webApp">;
export const NODE_EXAMPLES: readonly NodeExample[] = ["engine", "models", "pipelines", "workers"];

export const strip = (s: string) => s.replace(/\s+/g, "");

/** What an example's comments say its console.log lines print. */
export const promised = (code: string) => [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => strip(m[1]));

/**
 * Writes the Node examples into `dir` (inside a project whose `gated` is the
 * package under test) and compiles them with tsc --strict, as Node16 modules;
 * a type error fails with tsc's report. Returns each example's JavaScript file.
 */
export function compileExamples(dir: string, tsc: string): Record<NodeExample, string> {
  for (const name of NODE_EXAMPLES) writeFileSync(join(dir, `${name}.ts`), EXAMPLES[name]);
  const args = ["--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--skipLibCheck", "--types", "node", "--outDir", dir, "--rootDir", dir];
  try {
    execFileSync(tsc, [...args, ...NODE_EXAMPLES.map((n) => join(dir, `${n}.ts`))], { cwd: dirname(dir), encoding: "utf8" });
  } catch (e) {
    throw new Error(`the README's examples do not type-check:\n${(e as { stdout?: string }).stdout ?? e}`);
  }
  return Object.fromEntries(NODE_EXAMPLES.map((n) => [n, join(dir, `${n}.js`)])) as Record<NodeExample, string>;
}

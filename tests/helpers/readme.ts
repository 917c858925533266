// The README's runnable examples, as its sections give them, and what their
// comments promise they print.

import { readFileSync } from "node:fs";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const block = (pattern: RegExp) => readme.match(pattern)![1];

export const EXAMPLES = {
  engine: block(/## Using the engine\s+```js\n([\s\S]*?)```/),
  models: block(/Models, training and model files come from the same package:\s+```js\n([\s\S]*?)```/),
  pipelines: block(/### Pipelines[\s\S]*?```js\n([\s\S]*?)```/),
  workers: block(/### Training in workers[\s\S]*?```js\n([\s\S]*?)```/),
};

export const strip = (s: string) => s.replace(/\s+/g, "");

/** What an example's comments say its console.log lines print. */
export const promised = (code: string) => [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => strip(m[1]));

// Derives the playground's data assets from the npm packages installed with
// the project (nothing is committed, nothing is fetched from elsewhere):
// small JSON files the service worker precaches, and IMDB's 50,000 reviews
// gzipped, which the app fetches only when chosen and then keeps for offline.
// Needs the built library (dist/lib). Skips files that are already current.
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { nodeSources } from "../dist/lib/data/node-datasets.js";
import { PHRASE_POOL } from "../dist/lib/data/presets.js";

const out = new URL("../web/app/public/data/", import.meta.url);
mkdirSync(out, { recursive: true });
const stamp = statSync(new URL("../package-lock.json", import.meta.url)).mtimeMs;
const assets = {
  "dinosaurs.json": () => nodeSources.dinosaurs(),
  "sentences.json": () => nodeSources.sentences(),
  "phrases.json": () => nodeSources.phrases(PHRASE_POOL),
  "co2.json": () => nodeSources.co2(),
  "first-names.json": () => nodeSources.firstNames(),
  "reviews.json.gz": () => nodeSources.reviews(),
};
let written = 0;
for (const [name, make] of Object.entries(assets)) {
  const file = new URL(name, out);
  if (existsSync(file) && statSync(file).mtimeMs > stamp) continue;
  const json = JSON.stringify(await make());
  writeFileSync(file, name.endsWith(".gz") ? gzipSync(json, { level: 9 }) : json);
  written++;
}
console.log(`app data: ${written} of ${Object.keys(assets).length} assets written to web/app/public/data/`);

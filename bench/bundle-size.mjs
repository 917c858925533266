// What an app bundles of Gated: the inference entry (gated/infer: load a
// model file, predict), against the whole library, each bundled for browsers
// by Vite (minified, tree-shaken, the engines' .wasm files apart), in KiB
// minified and gzipped. Run after npm run build:lib.
//   node bench/bundle-size.mjs
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";

const lib = new URL("../dist/lib/", import.meta.url).pathname;
const entries = {
  "gated/infer (loadPredictor)": `export { loadPredictor } from "${lib}infer.js";`,
  "gated (everything)": `export * from "${lib}index.js";`,
};
const dir = mkdtempSync(join(tmpdir(), "gated-bundle-"));
console.log("entry".padEnd(30), "minified".padStart(10), "gzip".padStart(10));
for (const [name, code] of Object.entries(entries)) {
  const entry = join(dir, "entry.js");
  writeFileSync(entry, code);
  const out = await build({
    configFile: false, logLevel: "error", root: dir,
    build: { write: false, minify: true, assetsInlineLimit: 0, rollupOptions: { input: entry, preserveEntrySignatures: "exports-only", external: [/^node:/] } },
  });
  // The entry and what it loads at once; the workers' chunks and the .wasm files are fetched only when used.
  const output = (Array.isArray(out) ? out : [out]).flatMap((o) => o.output);
  const main = output.find((c) => c.type === "chunk" && c.isEntry);
  const js = Buffer.concat([main, ...main.imports.map((f) => output.find((c) => c.fileName === f))].map((c) => Buffer.from(c.code)));
  console.log(name.padEnd(30), `${(js.length / 1024).toFixed(1)} KiB`.padStart(10), `${(gzipSync(js).length / 1024).toFixed(1)} KiB`.padStart(10));
}

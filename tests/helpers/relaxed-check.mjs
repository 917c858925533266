// Run by tests/unit/relaxed-simd.test.ts in a node started with
// --experimental-wasm-relaxed-simd: every PyTorch reference case through the
// relaxed-SIMD (FMA) build. Prints one JSON line: the build and the worst
// excess over the float32 tolerance per case (≤ 0 passes).
import { readFileSync } from "node:fs";
import { createEngine } from "gated";

const { cases } = JSON.parse(readFileSync(new URL("../fixtures/torch-recurrent.json", import.meta.url), "utf8"));
const worst = (got, want) => Math.max(...want.map((w, i) => Math.abs(got[i] - w) - (1e-5 + 1e-4 * Math.abs(w))));
const results = {};
let variant;
for (const c of cases) {
  const engine = await createEngine({ backend: "wasm-simd", seed: 1 });
  variant = engine.variant;
  const layer = engine[c.kind](c.options);
  layer.loadStateDict(c.stateDict);
  const f = layer.forward(c.x, { h0: c.h0, c0: c.c0, lengths: c.lengths ?? undefined });
  const b = layer.backward({ gradOutput: c.gradOutput, gradHN: c.gradHN, gradCN: c.gradCN });
  const pairs = [[f.output, c.output], [f.hN, c.hN], [b.gradX, c.gradX], ...Object.keys(c.grads).map((k) => [b.grads[k], c.grads[k]])];
  if (c.cN) pairs.push([f.cN, c.cN]);
  if (c.gradH0) pairs.push([b.gradH0, c.gradH0]);
  results[c.name] = Math.max(...pairs.map(([g, w]) => worst(g.data, w.data)));
}
console.log(JSON.stringify({ variant, results }));

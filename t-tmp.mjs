import { WORKLOADS, gatedRunner } from "./dist/lib/bench/workloads.js";
import { createEngine } from "gated";
for (const relaxedSimd of [false, true]) {
const e = await createEngine({ backend: "wasm-simd", relaxedSimd, seed: 1 });
const r = gatedRunner(e, WORKLOADS[0]);
for (const end = performance.now() + 1500; performance.now() < end; ) r.train();
const s = []; for (let i = 0; i < 40; i++) { const t = performance.now(); r.train(); s.push(performance.now() - t); } s.sort((a, b) => a - b);
console.log(e.variant, "train seq/s median", (32000 / s[20]).toFixed(0), "best", (32000 / s[0]).toFixed(0));
}

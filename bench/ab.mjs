// A/B of the engine's kernels: builds assembly/ as of a git revision and as in
// the working tree, then trains a workload on both in one process, rounds
// interleaved, and prints medians. This is how kernel changes are judged here
// (e.g. the transposed A blocks of 2026-11-23: 657 → 692 seq/s on lstm-128).
//   npm run build && node bench/ab.mjs --base HEAD~1 [--workload lstm-128] [--fma | --scalar] [--infer] [--rounds 20]
// (--fma needs node --experimental-wasm-relaxed-simd; --infer times forward passes instead of training steps.)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import asc from "assemblyscript/asc";
import { createEngine } from "gated";
import { LATENCY_WORKLOADS, WORKLOADS, gatedRunner } from "../dist/lib/bench/workloads.js";

const { values } = parseArgs({
  options: {
    base: { type: "string", default: "HEAD" }, workload: { type: "string", default: "lstm-128" }, fma: { type: "boolean" }, scalar: { type: "boolean" },
    infer: { type: "boolean" }, rounds: { type: "string", default: "20" },
  },
});
const all = [...WORKLOADS, ...LATENCY_WORKLOADS];
const w = all.find((x) => x.id === values.workload);
if (!w) throw new Error(`unknown workload ${values.workload}; one of ${all.map((x) => x.id).join(", ")}`);
const features = values.fma ? "simd,threads,relaxed-simd" : values.scalar ? "threads" : "simd,threads";
const task = values.infer ? "infer" : "train";
const dir = mkdtempSync(join(tmpdir(), "gated-ab-"));

// The base revision's assembly/ tree, file by file from git.
const files = execFileSync("git", ["ls-tree", "-r", "--name-only", values.base, "assembly"], { encoding: "utf8" }).trim().split("\n");
for (const f of files) {
  mkdirSync(join(dir, dirname(f)), { recursive: true });
  writeFileSync(join(dir, f), execFileSync("git", ["show", `${values.base}:${f}`]));
}

async function build(entry, out) {
  const { error, stderr } = await asc.main([entry, "--enable", features, "-O3", "--noAssert", "--runtime", "stub", "--importMemory", "--sharedMemory", "--initialMemory", "1", "--maximumMemory", "65536", "-o", out]);
  if (error) throw new Error(stderr.toString());
  return WebAssembly.compile(readFileSync(out));
}
const modules = { [values.base]: await build(join(dir, "assembly/index.ts"), join(dir, "base.wasm")), "working tree": await build("assembly/index.ts", join(dir, "work.wasm")) };

const runners = {};
for (const [name, module] of Object.entries(modules)) {
  const engine = await createEngine({ backend: values.scalar ? "wasm" : "wasm-simd", shared: true, module, seed: 1 });
  runners[name] = gatedRunner(engine, w);
  for (const end = performance.now() + 2000; performance.now() < end; ) runners[name][task](); // tier up
}
const samples = Object.fromEntries(Object.keys(runners).map((n) => [n, []]));
const names = Object.keys(runners);
for (let round = 0; round < Number(values.rounds); round++) {
  for (const name of round % 2 ? names : [...names].reverse()) {
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      runners[name][task]();
      samples[name].push(performance.now() - t0);
    }
  }
}
console.log(`${w.id} ${values.infer ? "inference" : "training"}, ${features}, ${values.rounds} interleaved rounds`);
for (const [name, s] of Object.entries(samples)) {
  s.sort((a, b) => a - b);
  const rate = (ms) => ((1000 * w.B) / ms).toFixed(0);
  console.log(`  ${name.padEnd(14)} median ${rate(s[s.length >> 1])} seq/s   p25 ${rate(s[s.length >> 2])}   best ${rate(s[0])}`);
}

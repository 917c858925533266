// Where the time of the standard workload (lstm-128) goes, kernel by kernel:
// compiles the SIMD engine with function names, runs training and inference
// steps under V8's sampling profiler, and prints self time per function.
//   npm run build && node bench/profile.mjs [--relaxed] [--only train|infer] [--workload lstm-128]
import { Session } from "node:inspector/promises";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import asc from "assemblyscript/asc";
import { createEngine } from "gated";
import { LATENCY_WORKLOADS, WORKLOADS, gatedRunner } from "../dist/lib/bench/workloads.js";

const { values } = parseArgs({ options: { relaxed: { type: "boolean" }, only: { type: "string" }, workload: { type: "string", default: "lstm-128" } } });
const out = join(mkdtempSync(join(tmpdir(), "gated-profile-")), "engine.wasm");
const features = values.relaxed ? "simd,threads,relaxed-simd" : "simd,threads";
const { error, stderr } = await asc.main([
  "assembly/index.ts", "--enable", features, "-O3", "--noAssert", "--runtime", "stub", "--importMemory", "--sharedMemory",
  "--initialMemory", "1", "--maximumMemory", "65536", "--debug", "-o", out,
]);
if (error) throw new Error(stderr.toString());
const module = await WebAssembly.compile(readFileSync(out));
const engine = await createEngine({ backend: "wasm-simd", shared: true, module, seed: 1 });
const all = [...WORKLOADS, ...LATENCY_WORKLOADS];
const w = all.find((x) => x.id === values.workload);
if (!w) throw new Error(`unknown workload ${values.workload}; one of ${all.map((x) => x.id).join(", ")}`);
const r = gatedRunner(engine, w);

const session = new Session();
session.connect();
for (const phase of values.only ? [values.only] : ["train", "infer"]) {
  const step = phase === "train" ? r.train : r.infer;
  for (const end = performance.now() + 2000; performance.now() < end; ) step(); // tier up
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  let calls = 0;
  const t0 = performance.now();
  for (const end = t0 + 5000; performance.now() < end; calls++) step();
  const seconds = (performance.now() - t0) / 1000;
  const { profile } = await session.post("Profiler.stop");
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const name = byId.get(id).callFrame.functionName || "(JavaScript)";
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${w.id} ${phase} (${engine.variant} build): ${((w.B * calls) / seconds).toFixed(0)} seq/s under the profiler`);
  for (const [name, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`  ${((100 * t) / total).toFixed(1).padStart(5)}%  ${name.replace(/^assembly\//, "")}`);
  }
}
session.disconnect();

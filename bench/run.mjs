// `npm run bench [-- --quick] [-- --only lstm-128,gru-128]`: the same training
// and inference workloads on every Gated backend, on TF.js (cpu, wasm) and on
// PyTorch's CPU (one thread, where Debian's python3-torch is installed) in one
// session, repetitions interleaved across systems. Prints one
// table (sequences/s as median [min–max], GFLOP/s, share of the measured Wasm
// SIMD peak, ratios) and writes one JSON object per line to
// bench/results/<timestamp>.jsonl.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { createEngine } from "gated";
import { LATENCY_WORKLOADS, WORKLOADS, gatedRunner } from "../dist/lib/bench/workloads.js";
import { measurePeak } from "../dist/lib/bench/peak.js";
import { timeOnce } from "../dist/lib/bench/timing.js";
import { resultRecord, toJsonl } from "../dist/lib/bench/record.js";
import { Worker } from "node:worker_threads";
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { dataParallelRunner } from "./parallel.mjs";

const { values } = parseArgs({
  options: { quick: { type: "boolean" }, only: { type: "string" }, "no-tfjs": { type: "boolean" }, "no-torch": { type: "boolean" }, "no-ort": { type: "boolean" }, threads: { type: "string" } },
});
const quick = !!values.quick;
// Latency workloads (one sequence, inference only) are timed like the others, with more rounds: each call is short.
const latencyIds = new Set(LATENCY_WORKLOADS.map((w) => w.id));
const workloads = [...WORKLOADS, ...LATENCY_WORKLOADS].filter((w) => (values.only ? values.only.split(",").includes(w.id) : !quick || w.id !== "lstm-256"));
const reps = quick ? 2 : 15;
/** Seconds of measurement per system and workload before repetitions stop early (at least 2 are kept). */
const budget = quick ? 4 : 30;
/** Seconds of warm-up per system and workload (and at least two calls). */
const warmup = quick ? 0.5 : 1;
const threads = Number(values.threads ?? 2);

const log = (...a) => console.error(...a);
const results = [];
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.arch()}` };

// The measured peaks of each build, for "share of peak".
const peaks = {};
for (const [name, opts] of [["simd", { backend: "wasm-simd", relaxedSimd: false }], ["relaxed", { backend: "wasm-simd" }], ["scalar", { backend: "wasm" }], ["js", { backend: "js" }]]) {
  const engine = await createEngine(opts);
  if (name === "relaxed" && engine.variant !== "relaxed") continue; // no relaxed SIMD here (Node needs --experimental-wasm-relaxed-simd)
  peaks[name] = measurePeak(engine.kernels, quick ? 0.15 : 0.4);
  results.push({ timestamp: stamp, system: "peak", backend: opts.backend, variant: name, threads: 1, ...peaks[name], machine });
  log(`peak ${name}: ${peaks[name].gflops.toFixed(1)} GFLOP/s`);
}
const simdPeak = peaks.simd.gflops;

async function gatedSystems(w) {
  const systems = [];
  for (const [label, opts] of [
    ["gated wasm-simd", { backend: "wasm-simd", relaxedSimd: false }],
    ...(peaks.relaxed ? [["gated wasm-simd (fma)", { backend: "wasm-simd" }]] : []),
    ["gated wasm", { backend: "wasm" }],
    ["gated js", { backend: "js" }],
  ]) {
    const engine = await createEngine({ ...opts, seed: 1 });
    const r = gatedRunner(engine, w);
    systems.push({
      label, system: "gated", backend: opts.backend, variant: engine.variant, threads: 1, timeTrain: () => timeOnce(r.train), timeInfer: () => timeOnce(r.infer),
      memory: r.memory,
    });
  }
  // A batch of one cannot be split across workers.
  if (threads > 1 && w.B >= threads) {
    // The best build (FMA where Node has relaxed SIMD), training and inference split across workers.
    const dp = await dataParallelRunner(w, threads, !!peaks.relaxed);
    systems.push({
      label: `gated wasm-simd${peaks.relaxed ? " (fma)" : ""} ×${dp.threads}`, system: "gated", backend: "wasm-simd", variant: dp.variant, threads: dp.threads,
      timeTrain: () => timeOnce(dp.train), timeInfer: () => timeOnce(dp.infer), dispose: dp.dispose,
    });
  }
  return systems;
}

/**
 * A system in a worker thread that answers "train" / "infer" with seconds; each call is refused past
 * `limit` seconds or 6 GB of memory. With `fresh`, the worker lives for one timed call only (after
 * `fresh` untimed ones): a thread pool left idle between calls still takes CPU from the others.
 */
function workerSystem(script, workerData, info, fresh = 0) {
  const limit = quick ? 10 : 90;
  let worker = null;
  const start = () =>
    new Promise((resolve, reject) => {
      worker = new Worker(new URL(script, import.meta.url), { workerData, resourceLimits: { maxOldGenerationSizeMb: 6144 } });
      worker.once("message", () => resolve());
      worker.once("error", reject);
    });
  const once = async (what) => {
    if (!worker) await start();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`one ${what} call takes over ${limit} s`));
      }, limit * 1000);
      // Each call takes its listeners off again: a worker lives for many calls.
      const onMessage = (m) => {
        clearTimeout(timer);
        worker.off("error", onError);
        m.error ? reject(new Error(m.error)) : resolve(m.seconds);
      };
      const onError = (e) => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        reject(e.code === "ERR_WORKER_OUT_OF_MEMORY" ? new Error("ran out of memory (over 6 GB)") : e);
      };
      worker.once("message", onMessage);
      worker.once("error", onError);
      worker.postMessage(what);
    });
  };
  const call = async (what) => {
    if (!fresh) return once(what);
    for (let i = 0; i < fresh; i++) await once(what);
    try {
      return await once(what);
    } finally {
      await worker?.terminate();
      worker = null;
    }
  };
  return { ...info, timeTrain: () => call("train"), timeInfer: () => call("infer"), dispose: () => worker?.terminate() };
}

async function tfjsSystems(w) {
  if (values["no-tfjs"]) return [];
  return ["wasm", "cpu"].map((backend) => workerSystem("./tfjs-worker.mjs", { backend, workload: w }, { label: `tfjs ${backend}`, system: "tfjs", backend, variant: backend, threads: 1 }));
}

/** ONNX Runtime Web on 1 and `threads` threads, inference only, where the workload has an ONNX file (bench/fixtures/generate_onnx.py). */
async function ortSystems(w) {
  const file = new URL(`./fixtures/${w.id}.onnx`, import.meta.url).pathname;
  if (values["no-ort"] || !existsSync(file)) return [];
  const version = JSON.parse(readFileSync(new URL("../node_modules/onnxruntime-web/package.json", import.meta.url), "utf8")).version;
  return [...new Set([1, threads])].map((n) =>
    workerSystem("./ort-worker.mjs", { workload: w, threads: n, file }, { label: `ort-web wasm ×${n}`, system: "ort-web", backend: "wasm", variant: `ort ${version}`, threads: n, inferOnly: true }, 3),
  );
}

const PYTHON = "/usr/bin/python3";
const torchAbsent = values["no-torch"] ? "left out (--no-torch)" : spawnSync(PYTHON, ["-c", "import torch"]).status === 0 ? null
  : "absent: install Debian's python3-torch and libopenblas0-pthread (apt-get install -y python3-torch libopenblas0-pthread)";

/** PyTorch on the CPU with one thread, in a Python process that times each call itself (bench/torch_peer.py). */
async function torchSystems(w) {
  if (torchAbsent) return [];
  const limit = quick ? 10 : 90;
  // One thread in every library under torch too: OpenBLAS's own pool would otherwise spin between calls and slow the others.
  const env = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const child = spawn(PYTHON, [new URL("./torch_peer.py", import.meta.url).pathname, JSON.stringify(w)], { stdio: ["pipe", "pipe", "inherit"], env });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (what) => {
    const timer = new Promise((_, reject) => setTimeout(() => reject(new Error(`one ${what} call takes over ${limit} s`)), limit * 1000).unref());
    const { value, done } = await Promise.race([lines.next(), timer]);
    if (done) throw new Error(`PyTorch stopped during ${what}`);
    return value;
  };
  if ((await next("start")) !== "ready") throw new Error("PyTorch did not start");
  const call = async (what) => {
    child.stdin.write(`${what}\n`);
    return Number(await next(what));
  };
  const version = spawnSync(PYTHON, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" }).stdout.trim();
  return [{
    label: "pytorch cpu", system: "pytorch", backend: "cpu", variant: `torch ${version}`, threads: 1,
    timeTrain: () => call("train"), timeInfer: () => call("infer"), dispose: () => child.kill(),
  }];
}

function shuffle(a, seed) {
  let s = seed;
  const r = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return a.map((x) => [r(), x]).sort((p, q) => p[0] - q[0]).map(([, x]) => x);
}

for (const w of workloads) {
  const systems = [...(await gatedSystems(w)), ...(await tfjsSystems(w)), ...(await torchSystems(w)), ...(await ortSystems(w))];
  const latency = latencyIds.has(w.id);
  // On a latency workload every system only infers.
  if (latency) for (const s of systems) s.inferOnly = true;
  log(`\n${w.id}: warming up ${systems.length} systems`);
  for (const s of systems) {
    s.trainSamples = [];
    s.inferSamples = [];
    s.spent = 0;
    try {
      // At least two calls and a second each: engines run first calls in baseline code (workers tier up separately).
      for (let n = 0, end = performance.now() + 1000 * warmup; n < 2 || performance.now() < end; n++) {
        if (!s.inferOnly) await s.timeTrain();
        await s.timeInfer();
      }
    } catch (e) {
      s.error = String(e.message ?? e).split("\n")[0];
      log(`  ${s.label} cannot run ${w.id}: ${s.error}`);
    }
  }
  const runnable = systems.filter((s) => !s.error);
  // Interleaved: every system runs once per round, in a different order each round.
  const rounds = latency ? 10 * reps : reps;
  for (let rep = 0; rep < rounds; rep++) {
    for (const s of shuffle([...runnable], rep + 1)) {
      if (s.inferSamples.length >= 2 && s.spent > budget) continue;
      let t = 0, i;
      try {
        if (!s.inferOnly) t = await s.timeTrain();
        i = await s.timeInfer();
      } catch (e) {
        s.error = String(e.message ?? e);
        log(`  ${s.label} stopped: ${s.error}`);
        runnable.splice(runnable.indexOf(s), 1);
        continue;
      }
      if (!s.inferOnly) s.trainSamples.push(t);
      s.inferSamples.push(i);
      s.spent += t + i;
    }
    if (!latency || (rep + 1) % 10 === 0) log(`  round ${rep + 1}/${rounds}`);
  }
  for (const s of systems) {
    if (s.error) {
      await s.dispose?.();
      results.push({ timestamp: stamp, system: s.system, backend: s.backend, variant: s.variant, label: s.label, workload: w.id, error: s.error, machine });
      continue;
    }
    // Against the peak of the build that ran (times its threads); TF.js against the SIMD peak, PyTorch against the best (FMA) one.
    const peak = peaks[s.variant]?.gflops ?? (s.system === "pytorch" ? (peaks.relaxed ?? peaks.simd).gflops : simdPeak);
    results.push(resultRecord(stamp, s, w, s.inferOnly ? null : s.trainSamples, s.inferSamples, peak, machine, s.memory?.()));
    await s.dispose?.();
  }
}

// The table.
const fmt = (v, d = 0) => (v >= 100 ? v.toFixed(0) : v.toFixed(d || (v < 10 ? 1 : 0)));
const rows = results.filter((r) => r.system !== "peak" && !r.error);
const failures = results.filter((r) => r.error);
console.log(`\nGated benchmark — ${machine.cpu} (${machine.cpus} cores), ${machine.node}; measured Wasm SIMD peak ${simdPeak.toFixed(1)} GFLOP/s` +
  (peaks.relaxed ? `, FMA peak ${peaks.relaxed.gflops.toFixed(1)}` : "") + `, scalar ${peaks.scalar.gflops.toFixed(1)}, JS ${peaks.js.gflops.toFixed(1)}`);
console.log(`FLOPs: 2·T·G·H·(I+H) per sequence forward, 3× per training step. Train = forward + backward + Adam; infer = forward.\n`);
const header = [
  "workload", "system", "train seq/s [min–max]", "infer seq/s", "train GFLOP/s", "% of peak", "× tfjs wasm", "× tfjs cpu", "× pytorch train / infer", "infer × ort-web ×1",
  "peak MiB (× params+activations)",
];
const mib = (bytes) => (bytes / 1048576).toFixed(1);
const table = [header];
for (const w of workloads) {
  const ofW = rows.filter((r) => r.workload === w.id);
  const tfw = ofW.find((r) => r.label === "tfjs wasm");
  const tfc = ofW.find((r) => r.label === "tfjs cpu");
  const pt = ofW.find((r) => r.system === "pytorch");
  const ort = ofW.find((r) => r.system === "ort-web" && r.threads === 1);
  for (const r of ofW) {
    // ONNX Runtime Web only infers: its training columns stay empty.
    const trains = r.trainSeqPerS !== null;
    table.push([
      w.id, r.label, trains ? `${fmt(r.trainSeqPerS)} [${fmt(r.trainSeqPerSMin)}–${fmt(r.trainSeqPerSMax)}]` : "(inference only)", fmt(r.inferSeqPerS), trains ? r.gflops.toFixed(2) : "",
      `${r.peakPercent.toFixed(0)}%`, tfw && trains ? `${(r.trainSeqPerS / tfw.trainSeqPerS).toFixed(1)}×` : "", tfc && trains ? `${(r.trainSeqPerS / tfc.trainSeqPerS).toFixed(1)}×` : "",
      pt ? `${trains ? (r.trainSeqPerS / pt.trainSeqPerS).toFixed(2) : "–"}× / ${(r.inferSeqPerS / pt.inferSeqPerS).toFixed(2)}×` : "",
      ort ? `${(r.inferSeqPerS / ort.inferSeqPerS).toFixed(2)}×` : "",
      r.peakMemoryBytes ? `${mib(r.peakMemoryBytes)} (${(r.peakMemoryBytes / r.essentialMemoryBytes).toFixed(2)}×)` : "",
    ]);
  }
}
const widths = header.map((_, c) => Math.max(...table.map((row) => String(row[c]).length)));
for (const row of table) console.log(row.map((v, c) => String(v).padEnd(widths[c])).join("  "));
for (const f of failures) console.log(`${f.workload}: ${f.label} cannot run it (${f.error})`);
if (torchAbsent) console.log(`PyTorch: ${torchAbsent}`);

// One prediction: each system's median time for one sequence, and the goal that Gated's is the lowest.
const latencyRows = workloads.filter((w) => latencyIds.has(w.id)).map((w) => [w, rows.filter((r) => r.workload === w.id)]);
if (latencyRows.length) {
  console.log("\nlatency of one prediction (B = 1, median [min–max] ms):");
  const ms = (seqPerS) => (1000 / seqPerS).toFixed(3);
  for (const [w, of] of latencyRows) {
    for (const r of [...of].sort((a, b) => b.inferSeqPerS - a.inferSeqPerS)) console.log(`  ${w.id}  ${r.label.padEnd(24)} ${ms(r.inferSeqPerS)} [${ms(r.inferSeqPerSMax)}–${ms(r.inferSeqPerSMin)}]`);
  }
  console.log("\ngoals (latency):");
  for (const [w, of] of latencyRows) {
    const gated = of.filter((r) => r.system === "gated").sort((a, b) => b.inferSeqPerS - a.inferSeqPerS)[0];
    const peers = of.filter((r) => r.system !== "gated").sort((a, b) => b.inferSeqPerS - a.inferSeqPerS);
    if (!gated || !peers.length) continue;
    const best = peers[0];
    console.log(`  ${gated.inferSeqPerS > best.inferSeqPerS ? "met    " : "not met"}  ${w.id} ${gated.label} below every peer: ${ms(gated.inferSeqPerS)} ms against ${best.label}'s ${ms(best.inferSeqPerS)} ms`);
  }
}

// Against PyTorch's CPU (one thread), where it ran: the FMA build browsers run, and the plain SIMD build.
const againstTorch = [
  ["lstm-128", "gated wasm-simd (fma)", 1.0, 1.0], ["gru-128", "gated wasm-simd (fma)", 1.0, 1.0], ["lstm-256", "gated wasm-simd (fma)", 0.85, 0.85],
  ["lstm-128", "gated wasm-simd", 0.9, null],
];
const judged = againstTorch.map(([workload, label, trainGoal, inferGoal]) => {
  const r = rows.find((x) => x.workload === workload && x.label === label);
  const pt = rows.find((x) => x.workload === workload && x.system === "pytorch");
  return r && pt ? { workload, label, trainGoal, inferGoal, train: r.trainSeqPerS / pt.trainSeqPerS, infer: r.inferSeqPerS / pt.inferSeqPerS } : null;
}).filter(Boolean);
if (judged.length) {
  console.log("\ngoals against PyTorch (one thread, medians):");
  for (const j of judged) {
    console.log(`  ${j.train >= j.trainGoal ? "met    " : "not met"}  ${j.workload} ${j.label} training ≥ ${j.trainGoal.toFixed(2)}× PyTorch: ${j.train.toFixed(2)}×`);
    if (j.inferGoal) console.log(`  ${j.infer >= j.inferGoal ? "met    " : "not met"}  ${j.workload} ${j.label} inference ≥ ${j.inferGoal.toFixed(2)}× PyTorch: ${j.infer.toFixed(2)}×`);
  }
}

// Inference against ONNX Runtime Web: the FMA build on one thread against its one thread, Gated's threads against as many.
const ortGoals = workloads.flatMap((w) => {
  const of = rows.filter((r) => r.workload === w.id);
  const fma = of.find((r) => r.label === "gated wasm-simd (fma)") ?? of.find((r) => r.label === "gated wasm-simd");
  const many = of.find((r) => r.system === "gated" && r.threads > 1);
  const ort = (n) => of.find((r) => r.system === "ort-web" && r.threads === n);
  return [
    fma && ort(1) ? { what: `${w.id} ${fma.label} inference ≥ 1.5× ORT-web on 1 thread`, ratio: fma.inferSeqPerS / ort(1).inferSeqPerS, goal: 1.5 } : null,
    many && ort(many.threads) ? { what: `${w.id} ${many.label} inference ≥ 1.0× ORT-web on ${many.threads} threads`, ratio: many.inferSeqPerS / ort(many.threads).inferSeqPerS, goal: 1.0 } : null,
  ].filter(Boolean);
});
if (ortGoals.length) {
  console.log("\ngoals against ONNX Runtime Web (inference, medians):");
  for (const g of ortGoals) console.log(`  ${g.ratio >= g.goal ? "met    " : "not met"}  ${g.what}: ${g.ratio.toFixed(2)}×`);
}

// The goals of the standard workload, for the plain SIMD build and the FMA build browsers run.
const std = rows.filter((r) => r.workload === "lstm-128");
const pick = (label) => std.find((r) => r.label === label);
const js = pick("gated js"), tfw = pick("tfjs wasm"), tfc = pick("tfjs cpu"), par = std.find((r) => r.system === "gated" && r.threads > 1);
const simdOne = pick("gated wasm-simd");
if (simdOne) {
  console.log("\ngoals (lstm-128):");
  const goal = (what, value, target, shown) => console.log(`  ${value >= target ? "met    " : "not met"}  ${what}: ${shown}`);
  for (const r of [simdOne, pick("gated wasm-simd (fma)")].filter(Boolean)) {
    const build = r.variant === "relaxed" ? "FMA build" : "SIMD build";
    goal(`${build}: training ≥ 700 seq/s on one thread`, r.trainSeqPerS, 700, `${fmt(r.trainSeqPerS)} seq/s`);
    goal(`${build}: training ≥ 60% of its measured peak`, r.peakPercent, 60, `${r.peakPercent.toFixed(0)}%`);
    goal(`${build}: inference ≥ 3,000 seq/s`, r.inferSeqPerS, 3000, `${fmt(r.inferSeqPerS)} seq/s`);
    if (tfw) goal(`${build}: training ≥ 20× TF.js wasm`, r.trainSeqPerS / tfw.trainSeqPerS, 20, `${(r.trainSeqPerS / tfw.trainSeqPerS).toFixed(1)}×`);
  }
  if (tfc && js) goal("js twin training ≥ 5× TF.js cpu", js.trainSeqPerS / tfc.trainSeqPerS, 5, `${(js.trainSeqPerS / tfc.trainSeqPerS).toFixed(1)}×`);
  const one = par && std.find((r) => r.system === "gated" && r.threads === 1 && r.variant === par.variant);
  if (par && one) {
    goal(`${par.threads} threads ≥ 1.8× one thread (same build)`, par.trainSeqPerS / one.trainSeqPerS, 1.8, `${(par.trainSeqPerS / one.trainSeqPerS).toFixed(2)}× (median; best ${(par.trainSeqPerSMax / one.trainSeqPerSMax).toFixed(2)}×)`);
  }
}

// Memory: the engine's peak beside parameters (with gradients and Adam's moments) and the activations BPTT keeps.
const memoryRows = rows.filter((r) => r.peakMemoryBytes && r.label === (peaks.relaxed ? "gated wasm-simd (fma)" : "gated wasm-simd"));
if (memoryRows.length) {
  console.log("\ngoals (memory, one thread):");
  for (const r of memoryRows) {
    const ratio = r.peakMemoryBytes / r.essentialMemoryBytes;
    console.log(`  ${ratio <= 2 ? "met    " : "not met"}  ${r.workload} peak ${mib(r.peakMemoryBytes)} MiB ≤ 2× parameters + activations (${mib(r.essentialMemoryBytes)} MiB): ${ratio.toFixed(2)}×`);
  }
}

mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
const file = new URL(`./results/${stamp}.jsonl`, import.meta.url);
writeFileSync(file, toJsonl(results));
console.log(`\nresults: bench/results/${stamp}.jsonl`);
process.exit(0);

// A/B of the host library (session, layers, pipelines: everything above the
// kernels, which bench/ab.mjs compares): builds web/lib as of a git revision
// in a temporary worktree (same engine builds), then trains the same small
// classifiers through PipelineRun on both in one process, rounds interleaved
// and alternated, and prints medians of batches per second. A refactor of the
// host must show no slowdown beyond noise here (≈ ±5% on a busy 2-core machine).
//   npm run build && node bench/ab-host.mjs --base HEAD~1 [--rounds 15]
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { base: { type: "string", default: "HEAD" }, rounds: { type: "string", default: "15" } } });
const repo = new URL("../", import.meta.url).pathname;
const dir = join(mkdtempSync(join(tmpdir(), "gated-ab-host-")), "base");
execFileSync("git", ["worktree", "add", "--detach", "-q", dir, values.base], { cwd: repo });
try {
  symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"));
  execFileSync(join(repo, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], { cwd: dir });
  cpSync(join(repo, "dist/wasm"), join(dir, "dist/wasm"), { recursive: true });
  const A = await import(join(dir, "dist/lib/index.js"));
  const B = await import(join(repo, "dist/lib/index.js"));
  const items = Array.from({ length: 2000 }, (_, i) => ({ text: `${["great", "fine", "awful", "dull"][i % 4]} film number ${i % 50} and more words ${i % 7}`, label: i % 4 < 2 ? "pos" : "neg" }));
  const workloads = [
    { name: "tiny classifier (the host's own cost)", options: { hiddenSize: 8, embeddingDim: 8, batchSize: 8 } },
    { name: "small classifier", options: { hiddenSize: 64, embeddingDim: 32, batchSize: 32 } },
  ];
  const BATCHES = 120;
  const once = async (lib, w) => {
    const engine = await lib.createEngine({ seed: 1, backend: "wasm-simd" });
    const run = lib.PipelineRun.start(engine, { kind: "classifier", items, origin: { name: "ab.csv" }, options: { epochs: 1, validationSplit: 0, ...w.options } });
    const t = performance.now();
    await run.session.run({ batches: BATCHES });
    const rate = BATCHES / ((performance.now() - t) / 1000);
    run.dispose();
    engine.dispose();
    return rate;
  };
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  console.log(`host A/B: ${values.base} against the working tree, ${values.rounds} rounds`);
  for (const w of workloads) {
    const a = [], b = [];
    await once(A, w);
    await once(B, w);
    for (let r = 0; r < Number(values.rounds); r++) {
      const pair = r % 2 ? [[B, b], [A, a]] : [[A, a], [B, b]];
      for (const [lib, out] of pair) out.push(await once(lib, w));
    }
    console.log(`${w.name}: ${median(a).toFixed(0)} → ${median(b).toFixed(0)} batches/s (${((median(b) / median(a) - 1) * 100).toFixed(1)}%)`);
  }
} finally {
  execFileSync("git", ["worktree", "remove", "--force", dir], { cwd: repo });
  rmSync(join(dir, ".."), { recursive: true, force: true });
}

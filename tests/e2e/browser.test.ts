// The benchmark page in a real headless Chromium (Debian's, through
// playwright-core): served by Vite with COOP/COEP, the page is cross-origin
// isolated, the engine runs in a Comlink worker over shared memory, every
// backend trains, all three agree on the losses, and data-parallel training
// on two more Web Workers agrees too.

import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BenchApi } from "../../web/bench/bench.worker.ts";

const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];

let server: ViteDevServer;
let browser: Browser;
let url: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  server = await createServer({ configFile: new URL("../../vite.config.ts", import.meta.url).pathname, logLevel: "error", server: { host: "127.0.0.1", port: 0 } });
  await server.listen();
  url = server.resolvedUrls!.local[0];
  // launch() gives the browser a fresh temporary profile of its own.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("in Chromium", () => {
  it("the page is cross-origin isolated and every backend trains in a worker, agreeing with the others", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => "gatedBench" in window);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const run = await page.evaluate(() => (window as unknown as { gatedBench: BenchApi }).gatedBench.run({ steps: 4, reps: 2 }));
    expect(errors).toEqual([]);
    expect(run.crossOriginIsolated).toBe(true);
    expect(run.results.map((r) => r.backend)).toEqual(["wasm-simd", "wasm", "js"]);
    // Chromium has relaxed SIMD, so the SIMD backend runs its FMA build.
    expect(run.results.map((r) => r.variant)).toEqual(["relaxed", "scalar", "js"]);
    for (const r of run.results) {
      expect(r.shared).toBe(true);
      for (const v of [r.trainSeqPerS, r.inferSeqPerS, r.gflops, r.peakGflops, ...r.losses]) expect(Number.isFinite(v) && v > 0).toBe(true);
    }
    const [simd, scalar, js] = run.results;
    for (const other of [scalar, js]) {
      other.losses.forEach((l, i) => expect(Math.abs(l - simd.losses[i])).toBeLessThan(1e-4 * simd.losses[i]));
    }
    // Training lowered the loss on its batch.
    expect(simd.losses.at(-1)!).toBeLessThan(simd.losses[0]);
    // Two Web Workers over shared memory train to the same losses as one thread.
    expect(run.parallel.threads).toBe(2);
    run.parallel.losses.forEach((l, i) => expect(Math.abs(l - simd.losses[i])).toBeLessThan(1e-4 * simd.losses[i]));
    expect(run.parallel.trainSeqPerS).toBeGreaterThan(0);
    await page.close();
  }, 120_000);
});

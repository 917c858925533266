// The built playground in every engine a student may have: Firefox ESR,
// WebKit (Safari's engine) as WebKitGTK ships it — no SharedArrayBuffer, so
// one thread —, WebKit with SharedArrayBuffer exposed as Safari does, WebKit
// under a locale that is no language tag (LANG=C.UTF-8), and Chromium
// without WebAssembly (as iOS Lockdown Mode). In each, one scenario: the page
// becomes cross-origin isolated, says which build and how many threads it
// has, trains Sentiment on them, trains Names, keeps its models across a
// reload, works offline, and reports no error. (Chromium itself is tested
// in playground.test.ts and labs.test.ts.)

import { afterEach, describe, expect, it } from "vitest";
import { chromiumWithoutWasm, type EnginePage, firefox, webkit } from "./engines.ts";

interface Expected {
  /** The header's engine build and the thread count it offers. */
  build: "FMA" | "SIMD" | "JS";
  threads: number;
  /** What the training page says ran: "engine relaxed, 2 threads". */
  ran: RegExp;
  /** Why one thread, as the header says it. */
  oneThread?: RegExp;
  /** Epochs of each training (the JS engine without a JIT is slow, as on a phone in Lockdown Mode). */
  epochs: number;
}

const ENGINES: [string, () => Promise<EnginePage>, Expected][] = [
  ["Firefox ESR", firefox, { build: "FMA", threads: 2, ran: /engine relaxed, 2 threads/, epochs: 2 }],
  ["WebKitGTK (no SharedArrayBuffer)", () => webkit(), { build: "SIMD", threads: 1, ran: /engine simd, 1 thread\b/, oneThread: /no shared memory/, epochs: 2 }],
  ["WebKit with SharedArrayBuffer, as Safari", () => webkit({ JSC_useSharedArrayBuffer: "1" }), { build: "SIMD", threads: 2, ran: /engine simd, 2 threads/, epochs: 2 }],
  ["WebKit under LANG=C.UTF-8", () => webkit({ LANG: "C.UTF-8" }), { build: "SIMD", threads: 1, ran: /engine simd, 1 thread\b/, oneThread: /no shared memory/, epochs: 2 }],
  ["Chromium without WebAssembly (Lockdown Mode)", chromiumWithoutWasm, { build: "JS", threads: 1, ran: /engine js, 1 thread\b/, oneThread: /no shared memory/, epochs: 1 }],
];

/** Small, fast settings, given as a link would give them. */
const sentiment = (epochs: number) => `#/sentiment?epochs=${epochs}&hidden=16&embedding=16`;
const names = (epochs: number) => `#/names?epochs=${epochs}&hidden=24`;

async function until(page: EnginePage, condition: string, what: string, timeout = 60_000): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    const ok = await page.js<boolean>(`return !!(${condition})`).catch(() => false);
    if (ok === true) return;
    if (Date.now() > end) {
      const shows = await page.js<string>("return [document.querySelector('.device')?.textContent, document.querySelector('.progress')?.textContent, document.querySelector('[role=alert]')?.textContent, document.querySelector('main')?.innerText.slice(0, 300)].join(' | ')").catch((e) => String(e));
      throw new Error(`timed out waiting for ${what}; the page shows: ${shows}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const HEADING = "document.querySelector('main h1')";
const RESULTS = "[...document.querySelectorAll('h2, h3')].some((h) => /Held-out results/.test(h.textContent))";

async function train(page: EnginePage, timeout = 180_000): Promise<void> {
  await until(page, "[...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Train' && !b.disabled)", "the Train button");
  await page.js("[...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Train').click()");
  await until(page, RESULTS, "the held-out results", timeout);
}

const modelCount = (page: EnginePage) => page.js<number>("return document.querySelectorAll('ul.models > li').length");

let page: EnginePage | undefined;
afterEach(async () => {
  await page?.close();
  page = undefined;
});

describe.each(ENGINES)("%s", (_, start, expected) => {
  // One retry: Firefox once (in seven full runs) never finished its first training within 180 s; see the session note.
  it(`is isolated, offers ${expected.build} on ${expected.threads} thread(s), trains Sentiment and Names, keeps models across a reload, and works offline`, { timeout: 420_000, retry: 1 }, async () => {
    page = await start();
    await page.go(sentiment(expected.epochs));
    await until(page, `navigator.serviceWorker && navigator.serviceWorker.controller && crossOriginIsolated && ${HEADING}`, "cross-origin isolation after the one reload");
    expect(await page.js<boolean>("try { new Intl.NumberFormat(navigator.language); return true } catch { return false }")).toBe(true);
    const device = await page.js<string>("return document.querySelector('.device').textContent.replace(/\\s+/g, ' ')");
    expect(device).toMatch(new RegExp(`Engine: ${expected.build}\\b`));
    expect(device).toMatch(new RegExp(`Threads: ${expected.threads === 1 ? 1 : "\\d+"}\\b`));
    if (expected.oneThread) expect(device).toMatch(expected.oneThread);
    expect(await page.js<string>("return document.querySelector('label.threads select').value")).toBe(String(expected.threads));

    await train(page);
    expect(await page.js<string>("return document.body.innerText")).toMatch(expected.ran);
    expect(await page.js<string>("return document.querySelector('.metric dd').textContent")).toMatch(/\d+\.\d%/);

    await page.go(names(expected.epochs));
    await until(page, HEADING, "the Names page");
    await train(page);
    // Names drawn after each epoch while it learned.
    expect(await page.js<number>("return document.querySelectorAll('.feed li').length")).toBe(expected.epochs);

    await page.go("#/models");
    await until(page, "document.querySelectorAll('ul.models > li').length >= 2", "both models on the Models page");
    const kept = await modelCount(page);
    await page.reload();
    await until(page, `${HEADING} && document.querySelectorAll('ul.models > li').length > 0`, "the models after a reload");
    expect(await modelCount(page)).toBe(kept);

    await page.offline();
    await page.go(sentiment(expected.epochs));
    await page.reload();
    await until(page, HEADING, "the page offline");
    await train(page);
    expect(await page.js<string>("return document.body.innerText")).toMatch(expected.ran);
    expect(await page.errors()).toEqual([]);
  });
});

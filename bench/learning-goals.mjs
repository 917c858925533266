// The playground's learning goals, measured as a person would reach them: the
// built app (npm run build) served by a plain static server, in Debian's
// Chromium, each model trained from its page with the settings a link gives,
// on two threads; the held-out score and the wall-clock time from the Train
// button to the results are read off the page.
//   node bench/learning-goals.mjs [--only uci,imdb,translate] [--seeds N]
// Prints a table and writes bench/results/learning-goals-<time>.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { serve } from "../scripts/serve.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const only = arg("only", "uci,imdb,translate").split(",");
const seeds = Number(arg("seeds", "3"));

/** Each goal: the page and settings (as a link), the score's goal, and the time allowed. */
const GOALS = {
  uci: { what: "UCI sentences, held-out accuracy", hash: "#/sentiment", goal: 0.8, seconds: Infinity },
  // The settings the page suggests when IMDB is chosen.
  imdb: { what: "IMDB reviews, held-out accuracy", hash: "#/sentiment?data=imdb-50k&hidden=32&max-tokens=600&patience=2&epochs=10", goal: 0.9, seconds: 300, download: true },
  translate: { what: "EN→ES phrases, held-out exact match", hash: "#/translation", goal: 0.95, seconds: 120 },
};

const { server, url } = await serve(new URL("../dist/app/", import.meta.url).pathname, 0);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const results = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => !!navigator.serviceWorker?.controller && crossOriginIsolated, null, { timeout: 60_000 });
  for (const key of only) {
    const g = GOALS[key];
    for (let seed = 1; seed <= (key === "uci" ? seeds : 1); seed++) {
      const hash = `${g.hash}${g.hash.includes("?") ? "&" : "?"}seed=${seed}`;
      await page.goto(url + hash);
      await page.waitForSelector("main h1");
      if (g.download) {
        const button = page.getByRole("button", { name: /^Download / });
        if (await button.count()) {
          await button.click();
          await page.getByRole("button", { name: "Train", exact: true }).and(page.locator(":enabled")).waitFor({ timeout: 300_000 });
        }
      }
      const start = Date.now();
      await page.getByRole("button", { name: "Train", exact: true }).click();
      const done = page.getByRole("heading", { name: /Held-out results/ });
      try {
        await done.waitFor({ timeout: Number.isFinite(g.seconds) ? g.seconds * 1000 : 30 * 60_000 });
      } catch {
        // Out of time: stop, and score what was learned by then.
        await page.getByRole("button", { name: "Stop" }).click();
        await done.waitFor({ timeout: 600_000 });
      }
      const seconds = (Date.now() - start) / 1000;
      const score = Number((await page.locator(".metric dd").first().textContent()).replace("%", "")) / 100;
      const status = await page.locator(".progress .status").textContent();
      const r = { goal: key, what: g.what, seed, score, seconds, target: g.goal, within: g.seconds, status: status?.trim() };
      results.push(r);
      console.log(`${g.what} (seed ${seed}): ${(100 * score).toFixed(1)}% in ${seconds.toFixed(0)} s — ${r.status}`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
console.log("");
for (const key of only) {
  const rs = results.filter((r) => r.goal === key);
  const mean = rs.reduce((a, r) => a + r.score, 0) / rs.length;
  const g = GOALS[key];
  const met = mean >= g.goal && rs.every((r) => r.seconds <= g.seconds);
  console.log(`${g.what}: mean ${(100 * mean).toFixed(1)}% (${rs.map((r) => (100 * r.score).toFixed(1)).join(", ")}), slowest ${Math.max(...rs.map((r) => r.seconds)).toFixed(0)} s; goal ≥ ${100 * g.goal}%${Number.isFinite(g.seconds) ? ` within ${g.seconds} s` : ""}: ${met ? "met" : "not met"}`);
}
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL(`./results/learning-goals-${new Date().toISOString().replace(/[:.]/g, "-")}.json`, import.meta.url), JSON.stringify(results, null, 2));

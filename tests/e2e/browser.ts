// Helpers of the browser tests: Debian's Chromium through playwright-core
// (nothing downloaded), the built playground served by a plain static server
// that sends no special headers, axe-core, and screenshots kept as artifacts.

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
// @ts-expect-error: a plain ES module without types
import { serve } from "../../scripts/serve.mjs";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];
export const SHOTS = new URL("../../test-results/screenshots/", import.meta.url).pathname;

export interface Harness {
  browser: Browser;
  server: Server;
  url: string;
}

export async function launch(): Promise<Harness> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  if (!existsSync(new URL("../../dist/app/index.html", import.meta.url))) throw new Error("dist/app is not built: run npm run build");
  mkdirSync(SHOTS, { recursive: true });
  const { server, url } = await serve(new URL("../../dist/app/", import.meta.url).pathname, 0);
  // launch() gives the browser a fresh temporary profile of its own.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  return { browser, server, url };
}

export async function close(h: Harness | undefined): Promise<void> {
  await h?.browser.close();
  await new Promise((r) => (h ? h.server.close(r) : r(null)));
}

/** A page that collects errors; the test checks them at the end. */
export async function open(context: BrowserContext, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url);
  return { page, errors };
}

/** A fresh context (a new visitor) on one of the playground's pages, once the page is cross-origin isolated. */
export async function openIsolated(h: Harness, path: string, options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await h.browser.newContext(options);
  const { page, errors } = await open(context, `${h.url}${path}`);
  await isolated(page);
  return { context, page, errors };
}

/** Waits until the service worker controls the page and the page is cross-origin isolated (after its one reload). */
export async function isolated(page: Page): Promise<void> {
  await page.waitForFunction(() => !!navigator.serviceWorker?.controller && crossOriginIsolated, null, { timeout: 30_000 });
  await page.waitForSelector("main h1");
}

const axeSource = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

/** axe-core's serious and critical violations on the page, as readable lines. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")}`);
  });
}

/** Whether the page scrolls sideways (it must not, on a phone). */
export async function overflows(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

/** Trains from the page's Train button until the held-out results show. */
export async function trainToResults(page: Page, timeout = 120_000): Promise<void> {
  await page.getByRole("button", { name: "Train", exact: true }).click();
  await page.getByRole("heading", { name: /Held-out results/ }).waitFor({ timeout });
}

export function noErrors(errors: string[]): void {
  expect(errors.filter((e) => !/net::ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
}

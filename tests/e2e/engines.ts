// The other browser engines, each behind one small interface so that one
// scenario runs in all of them: Firefox ESR over WebDriver BiDi
// (puppeteer-core, headless), WebKitGTK's MiniBrowser over classic W3C
// WebDriver (WebKitWebDriver, under an Xvfb display this file starts), and
// Debian's Chromium with WebAssembly switched off, as iOS Lockdown Mode does.
// Nothing is downloaded: the engines are Debian's.

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import { createServer } from "node:net";
import puppeteer from "puppeteer-core";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_FLAGS } from "./browser.ts";
// @ts-expect-error: a plain ES module without types
import { serve } from "../../scripts/serve.mjs";

/** One page of one engine, driven by script bodies run in the page (`return …`). */
export interface EnginePage {
  /** Runs a function body in the page and returns its result. */
  js<T>(body: string): Promise<T>;
  /** Goes to the app's address with this hash. */
  go(hash: string): Promise<void>;
  reload(): Promise<void>;
  /** Takes the network away (or the server, where the engine cannot emulate it). */
  offline(): Promise<void>;
  /** Errors the page reported (uncaught errors, rejections, console errors). */
  errors(): Promise<string[]>;
  close(): Promise<void>;
}

/** Records errors inside the page, for engines that report none to the driver (WebDriver classic). */
const HOOK = `if (!window.__errors) { window.__errors = []; addEventListener("error", (e) => window.__errors.push(String(e.message))); addEventListener("unhandledrejection", (e) => window.__errors.push(String(e.reason && e.reason.message || e.reason))); }`;

async function app(): Promise<{ server: Server; url: string }> {
  if (!existsSync(new URL("../../dist/app/index.html", import.meta.url))) throw new Error("dist/app is not built: run npm run build");
  return serve(new URL("../../dist/app/", import.meta.url).pathname, 0);
}

const stop = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export async function firefox(): Promise<EnginePage> {
  const binary = "/usr/bin/firefox-esr";
  if (!existsSync(binary)) throw new Error(`${binary} is missing: install Debian's firefox-esr`);
  const { server, url } = await app();
  const browser = await puppeteer.launch({ browser: "firefox", executablePath: binary, headless: true });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String((e as Error).message ?? e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return {
    js: (body) => page.evaluate(`(async () => { ${body} })()`),
    go: async (hash) => void (await page.goto(url + hash)),
    reload: async () => void (await page.reload()),
    offline: () => page.setOfflineMode(true),
    errors: async () => errors.filter((e) => !/NetworkError|network error|Failed to fetch|NS_ERROR/i.test(e)),
    close: async () => {
      await browser.close();
      await stop(server);
    },
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * WebKitGTK's MiniBrowser. `env` goes to the driver and so to the browser:
 * LANG, and JSC_useSharedArrayBuffer=1 to expose SharedArrayBuffer as Safari does.
 */
export async function webkit(env: Record<string, string> = {}): Promise<EnginePage> {
  for (const bin of ["/usr/bin/WebKitWebDriver", "/usr/bin/Xvfb"]) if (!existsSync(bin)) throw new Error(`${bin} is missing: install Debian's webkit2gtk-driver xvfb xauth`);
  const { server, url } = await app();
  const children: ChildProcess[] = [];
  const xvfb = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], { stdio: ["ignore", "ignore", "ignore", "pipe"] });
  children.push(xvfb);
  const display = await new Promise<string>((resolve, reject) => {
    xvfb.stdio[3]!.once("data", (d) => resolve(`:${String(d).trim()}`));
    xvfb.once("exit", (code) => reject(new Error(`Xvfb exited with ${code}`)));
  });
  const port = await freePort();
  children.push(spawn("WebKitWebDriver", [`--port=${port}`], { env: { ...process.env, LANG: "en_US.UTF-8", ...env, DISPLAY: display }, stdio: "ignore" }));
  const base = `http://127.0.0.1:${port}`;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    // Every request has a deadline: a driver without a display hangs instead of answering.
    const r = await fetch(base + path, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
    const j = (await r.json()) as { value: T & { error?: string; message?: string } };
    if (j.value && typeof j.value === "object" && "error" in j.value && j.value.error) throw new Error(`WebDriver ${j.value.error}: ${j.value.message}`);
    return j.value;
  };
  const quit = () => children.forEach((c) => c.kill());
  try {
    for (let i = 0; ; i++) {
      try {
        await fetch(`${base}/status`);
        break;
      } catch (e) {
        if (i > 100) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const { sessionId } = await call<{ sessionId: string }>("POST", "/session", { capabilities: {} });
    const S = (p: string) => `/session/${sessionId}${p}`;
    const js = <T>(body: string) => call<T>("POST", S("/execute/async"), { script: `${HOOK} const done = arguments[arguments.length - 1]; (async () => { ${body} })().then(done, (e) => done({ __error: String(e) }));`, args: [] });
    return {
      js,
      go: async (hash) => void (await call("POST", S("/url"), { url: url + hash })),
      reload: async () => void (await call("POST", S("/refresh"), {})),
      offline: async () => {
        // WebKitGTK's driver has no network emulation: the server goes away instead.
        await stop(server);
      },
      errors: () => js<string[]>("return window.__errors || []"),
      close: async () => {
        await call("DELETE", S("")).catch(() => undefined);
        quit();
        if (server.listening) await stop(server);
      },
    };
  } catch (e) {
    quit();
    await stop(server);
    throw e;
  }
}

/** Chromium with no JIT and so no WebAssembly, in the page and every worker: what iOS Lockdown Mode does to Safari. */
export async function chromiumWithoutWasm(): Promise<EnginePage> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium`);
  const { server, url } = await app();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS, "--js-flags=--jitless"] });
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return {
    js: (body) => page.evaluate(`(async () => { ${body} })()`),
    go: async (hash) => void (await page.goto(url + hash)),
    reload: async () => void (await page.reload()),
    offline: () => context.setOffline(true),
    errors: async () => errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e)),
    close: async () => {
      await browser.close();
      await stop(server);
    },
  };
}

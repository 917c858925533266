// Gated as a web developer meets it: the packed tarball installed (from the
// npm registry and the tarball, nothing else) into a new app outside the
// repository — examples/web-app, copied. The app and the README's browser
// snippet type-check with tsc --strict; the app builds with Vite for
// production and with webpack 5, with no configuration for Gated, and, served
// with the two COOP/COEP headers, trains in a worker through gated/worker on
// two threads and predicts in Chromium; served without them it trains on one
// thread and says why; a worker that cannot load is refused with a GatedError,
// not waited for. In Node, the README's examples type-check and run from the
// installed package, and a preset whose data package is missing names the
// package to install.

import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_FLAGS } from "./browser.ts";
import { compileExamples, EXAMPLES, promised, strip } from "../helpers/readme.ts";

const repo = new URL("../../", import.meta.url).pathname;
// The npm that came with this Node (node_modules/.bin holds an old one that a dev dependency brings).
const NPM = join(dirname(process.execPath), "npm");
const NPX = join(dirname(process.execPath), "npx");
const version = (name: string) => JSON.parse(readFileSync(`${repo}node_modules/${name}/package.json`, "utf8")).version as string;
let app: string;
let browser: Browser;


/** Runs a command in the app (or elsewhere); a failure says what the command printed. */
function run(cmd: string, args: string[], cwd = app): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), "gated-consumer-"));
  // The tarball as npm pack makes it (the build is there already).
  const tarball = join(app, run(NPM, ["pack", "--ignore-scripts", "--pack-destination", app], repo).trim().split("\n").at(-1)!);
  // The example app (examples/web-app) as a new project would have it, with the tarball for gated.
  cpSync(`${repo}examples/web-app`, app, { recursive: true, filter: (f) => !/node_modules|dist(-webpack)?$/.test(f) });
  const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
  manifest.dependencies.gated = `file:${tarball}`;
  Object.assign(manifest.devDependencies, { vite: version("vite"), typescript: version("typescript"), "@types/node": version("@types/node") });
  writeFileSync(join(app, "package.json"), JSON.stringify(manifest, null, 2));
  // The README's browser snippet, type-checked with the app.
  writeFileSync(join(app, "src/readme-web-app.ts"), EXAMPLES.webApp);
  run(NPM, ["install", "--prefer-offline"]);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (app) rmSync(app, { recursive: true, force: true });
});

/** Serves a production build of the app (Vite's dist or webpack's dist-webpack); with the two headers or without, and optionally refusing some files. */
async function serveBuild(headers: boolean, refuse = /^$/, build = "dist"): Promise<{ server: Server; url: string }> {
  const root = join(app, build);
  const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const file = join(root, path === "/" ? "index.html" : path);
    if (!file.startsWith(root) || !existsSync(file) || refuse.test(path)) return void res.writeHead(404).end();
    const isolation = headers ? { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" } : {};
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", ...isolation }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
}

/** What the app's page ends up saying, at an address. */
async function says(url: string): Promise<Record<string, unknown>> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById("out")!.textContent !== "…", null, { timeout: 120_000 });
    return JSON.parse((await page.textContent("#out"))!);
  } finally {
    await page.close();
  }
}

async function outcome(headers: boolean, refuse?: RegExp, build?: string): Promise<Record<string, unknown>> {
  const { server, url } = await serveBuild(headers, refuse, build);
  try {
    return await says(url);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

describe("a new Vite app that installs the tarball", () => {
  it("type-checks with tsc --strict and builds for production with no configuration, the workers and engines emitted", () => {
    run(NPX, ["tsc", "-p", "."]);
    run(NPX, ["vite", "build", "--logLevel", "warn"]);
    const assets = spawnSync("ls", [join(app, "dist/assets")], { encoding: "utf8" }).stdout;
    expect(assets).toMatch(/browser-worker-.*\.js/);
    expect(assets).toMatch(/worker-.*\.js/);
    expect(assets.match(/\.wasm/g)).toHaveLength(6);
  }, 240_000);

  it("served with COOP/COEP, trains in a worker on two threads and predicts", async () => {
    const r = await outcome(true);
    expect(r).toMatchObject({ threads: 2, note: null, label: "pos" });
  });

  it("served without them, trains on one thread and says why", async () => {
    const r = await outcome(false);
    expect(r).toMatchObject({ threads: 1, note: "this engine's memory is not shared (the page is not cross-origin isolated), so training runs on one thread", label: "pos" });
  });

  it("a training worker that cannot load is refused with a GatedError, not waited for", async () => {
    const t = performance.now();
    const r = await outcome(true, /browser-worker/);
    expect(r.name).toBe("GatedError");
    expect(r.error).toMatch(/the training worker failed: its script could not be loaded/);
    expect(performance.now() - t).toBeLessThan(10_000);
  });
});

describe("the same app built with webpack 5", () => {
  it("builds with its webpack.config.js (nothing there for Gated) and, served with COOP/COEP, trains on two threads and predicts", async () => {
    // Without a warning: webpack finds nothing in the package it cannot follow (Node-only imports are marked for it to leave alone).
    expect(run(NPX, ["webpack"])).not.toMatch(/WARNING|ERROR/);
    const assets = spawnSync("ls", [join(app, "dist-webpack")], { encoding: "utf8" }).stdout;
    expect(assets.match(/\.wasm/g)).toHaveLength(6);
    expect(assets).toMatch(/gated-training\.js/);
    expect(await outcome(true, undefined, "dist-webpack")).toMatchObject({ threads: 2, note: null, label: "pos" });
  }, 240_000);
});

describe("the same app under Vite's dev server", () => {
  it("trains in a worker on two threads and predicts", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const dev = spawn(NPX, ["vite", "--host", "127.0.0.1", "--port", String(port), "--strictPort"], { cwd: app, stdio: ["ignore", "pipe", "pipe"] });
    try {
      await new Promise<void>((resolve, reject) => {
        dev.stdout.on("data", (d) => /ready in/.test(String(d)) && resolve());
        dev.on("exit", (code) => reject(new Error(`vite exited with ${code}`)));
      });
      expect(await says(`http://127.0.0.1:${port}/`)).toMatchObject({ threads: 2, note: null, label: "pos" });
    } finally {
      dev.kill();
    }
  });
});

describe("a Node program that installs the tarball", () => {
  it("a preset whose data package is missing names the package to install", () => {
    const r = spawnSync(NPX, ["gated", "train", "names", "--epochs", "1"], { cwd: app, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/this preset reads the npm package dinosaurs, which is not installed: npm install --save-dev dinosaurs/);
  });

  it("type-checks the README's examples with tsc --strict and runs them from the installed package (with the data package the workers example's preset reads)", () => {
    run(NPM, ["install", "--prefer-offline", "--save-dev", `dinosaurs@${version("dinosaurs")}`]);
    mkdirSync(join(app, "readme"));
    const compiled = compileExamples(join(app, "readme"), join(app, "node_modules/.bin/tsc"));
    const node = (name: keyof typeof compiled) => run(process.execPath, [compiled[name]]).trim().split("\n");
    expect(node("engine").map(strip)).toEqual([...promised(EXAMPLES.engine), "true"]);
    expect(node("models")).toEqual(["true", "true"]);
    expect(node("pipelines").map(strip)).toEqual(promised(EXAMPLES.pipelines));
    const worker = node("workers");
    expect(worker.filter((l) => !l.startsWith("epoch")).map(strip)).toEqual(promised(EXAMPLES.workers));
  }, 240_000);
});

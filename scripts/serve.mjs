// A plain static file server for the built playground (dist/app), the way
// any static host serves it: correct content types, no special headers — the
// service worker makes the page cross-origin isolated by itself. Used by
// `npm start` and by the browser tests.
//   node scripts/serve.mjs [--port N]        (default 4173, or the next free port)
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".json": "application/json", ".wasm": "application/wasm", ".svg": "image/svg+xml",
  ".png": "image/png", ".webmanifest": "application/manifest+json", ".gz": "application/gzip", ".ico": "image/x-icon",
};

/** Serves `root` on 127.0.0.1; resolves with the server and its URL. */
export function serve(root = fileURLToPath(new URL("../dist/app/", import.meta.url)), port = 4173) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = normalize(join(base, path));
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-length": statSync(file).size });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    const attempt = (p) => {
      server.once("error", (e) => (e.code === "EADDRINUSE" && p !== 0 ? attempt(p + 1 > port + 20 ? 0 : p + 1) : reject(e)));
      server.listen(p, "127.0.0.1", () => resolvePromise({ server, url: `http://127.0.0.1:${server.address().port}/` }));
    };
    attempt(port);
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const i = process.argv.indexOf("--port");
  const root = fileURLToPath(new URL("../dist/app/", import.meta.url));
  if (!existsSync(join(root, "index.html"))) {
    console.error("dist/app is not built: run npm run build first");
    process.exit(1);
  }
  const { url } = await serve(root, i > 0 ? Number(process.argv[i + 1]) : 4173);
  console.log(`Gated playground: ${url}  (Ctrl-C stops the server)`);
}

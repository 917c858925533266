// The benchmark page (web/bench), served cross-origin isolated so that
// SharedArrayBuffer, and with it shared Wasm memory for workers, is available.
import { defineConfig } from "vite";

export const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default defineConfig({
  root: "web/bench",
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: "es" },
  build: {
    outDir: "../../dist/bench",
    emptyOutDir: true,
    target: "es2022",
    // Keep the engines as files, never inlined as data URLs.
    assetsInlineLimit: (file) => (file.endsWith(".wasm") ? false : undefined),
  },
});

// The playground (web/app): Svelte 5, a PWA whose service worker precaches the
// shell, the workers, every engine build and the small data sets, and makes
// the page cross-origin isolated on hosts that set no headers. The dev and
// preview servers set the isolation headers themselves.
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

export const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default defineConfig({
  root: "web/app",
  base: "./",
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: "es" },
  plugins: [
    svelte(),
    VitePWA({
      strategies: "injectManifest",
      srcDir: ".",
      filename: "sw.ts",
      injectRegister: false,
      registerType: "prompt",
      manifest: {
        name: "Gated — recurrent networks in your browser",
        short_name: "Gated",
        description: "Train RNN, LSTM and GRU models in the browser, offline, on any device.",
        theme_color: "#0f6b5f",
        background_color: "#f7f8f6",
        display: "standalone",
        start_url: "./",
        scope: "./",
        icons: [
          { src: "icons/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "icons/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
          { src: "icons/icon.svg", sizes: "any", type: "image/svg+xml" },
        ],
      },
      injectManifest: {
        // The shell, the workers, every engine build, the small data sets; IMDB's reviews and ONNX Runtime Web
        // (the Speed page's peer: its 14 MB engine, its glue and the networks) are cached when first used.
        globPatterns: ["**/*.{js,css,html,wasm,json,svg,png,webmanifest}"],
        globIgnores: ["**/reviews.json.gz", "**/ort-*", "**/*.onnx"],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  build: {
    outDir: "../../dist/app",
    emptyOutDir: true,
    target: "es2022",
    // Keep the engines as files, never inlined as data URLs.
    assetsInlineLimit: (file) => (file.endsWith(".wasm") ? false : undefined),
  },
});

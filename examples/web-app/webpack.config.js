// The same app built with webpack 5 instead of Vite (npm run build:webpack):
// TypeScript through ts-loader, and a page for the bundle. Gated's workers and
// engines need nothing here: webpack follows new Worker(new URL(…)) and
// new URL(…wasm) by itself. Serve dist-webpack/ with the two headers of
// vite.config.js for more than one thread.
import HtmlWebpackPlugin from "html-webpack-plugin";

const page = `<!doctype html><html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Gated in a web app</title></head><body><h1>A sentiment model trained in this page's worker</h1><pre id="out">…</pre></body></html>`;

export default {
  mode: "production",
  entry: "./src/main.ts",
  output: { path: new URL("./dist-webpack/", import.meta.url).pathname, clean: true },
  resolve: { extensions: [".ts", ".js"] },
  module: { rules: [{ test: /\.ts$/, loader: "ts-loader", options: { transpileOnly: true } }] },
  plugins: [new HtmlWebpackPlugin({ templateContent: page, scriptLoading: "module" })],
};

// Puts the compiled engines next to the compiled library (dist/wasm), where
// dist/lib/backends/wasm.js looks for them.
import { cpSync } from "node:fs";

cpSync("web/wasm", "dist/wasm", { recursive: true });

// Loads one of the compiled engines (asconfig.json targets) and instantiates
// it over a host-owned memory. Compiled modules are cached, so further engines
// and workers instantiate without recompiling.

import { GatedError } from "../errors.ts";
import { checkKernels, type Kernels } from "./kernels.ts";

export type WasmVariant = "simd" | "relaxed" | "scalar";

const urls: Record<string, URL> = {
  simd: new URL("../../wasm/gated.simd.wasm", import.meta.url),
  "simd-shared": new URL("../../wasm/gated.simd-shared.wasm", import.meta.url),
  relaxed: new URL("../../wasm/gated.relaxed.wasm", import.meta.url),
  "relaxed-shared": new URL("../../wasm/gated.relaxed-shared.wasm", import.meta.url),
  scalar: new URL("../../wasm/gated.scalar.wasm", import.meta.url),
  "scalar-shared": new URL("../../wasm/gated.scalar-shared.wasm", import.meta.url),
};

const modules = new Map<string, Promise<WebAssembly.Module>>();

// Node (also under a DOM emulation such as jsdom) reads file: URLs from disk; browsers fetch.
const isNode = typeof process !== "undefined" && !!process.versions?.node;

async function compile(url: URL): Promise<WebAssembly.Module> {
  if (isNode && url.protocol === "file:") {
    // Kept out of bundlers' sight: browsers never take this branch.
    const fsName = "node:fs/promises";
    const { readFile } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ fsName)) as typeof import("node:fs/promises");
    return WebAssembly.compile(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new GatedError(`could not load the engine from ${url}: HTTP ${response.status}`);
  return WebAssembly.compileStreaming(response);
}

/** The compiled module of a variant, compiled once per process (or worker). */
export function wasmModule(variant: WasmVariant, shared: boolean): Promise<WebAssembly.Module> {
  const key = shared ? `${variant}-shared` : variant;
  let module = modules.get(key);
  if (!module) {
    module = compile(urls[key]).catch((e: unknown) => {
      modules.delete(key);
      throw new GatedError(`could not load the ${key} engine: ${(e as Error).message}; run \`npm run build\` first`);
    });
    modules.set(key, module);
  }
  return module;
}

export async function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<Kernels> {
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return checkKernels(instance.exports as Record<string, unknown>);
}


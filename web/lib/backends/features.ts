// What this platform's WebAssembly can do, probed with tiny hand-assembled
// modules: each is one function returning v128, valid only if the feature is.
// Some browsers have no WebAssembly at all (iOS Lockdown Mode, hardened
// profiles): then only the JS twin runs.

const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const typeSection = [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b]; // () -> v128
const funcSection = [0x03, 0x02, 0x01, 0x00];
const v128Zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

function moduleWithBody(body: number[]): Uint8Array<ArrayBuffer> {
  const fn = [0x00, ...body, 0x0b]; // no locals, body, end
  const code = [0x01, fn.length, ...fn];
  return new Uint8Array([...header, ...typeSection, ...funcSection, 0x0a, code.length, ...code]);
}

let simd: boolean | undefined;
let relaxed: boolean | undefined;

/** Whether this platform runs WebAssembly at all. */
export function hasWasm(): boolean {
  return typeof WebAssembly === "object" && typeof WebAssembly.validate === "function";
}

export function hasSimd(): boolean {
  return (simd ??= hasWasm() && WebAssembly.validate(moduleWithBody(v128Zero)));
}

/** f32x4.relaxed_madd (opcode 0xfd 0x105). */
export function hasRelaxedSimd(): boolean {
  return (relaxed ??= hasSimd() && WebAssembly.validate(moduleWithBody([...v128Zero, ...v128Zero, ...v128Zero, 0xfd, 0x85, 0x02])));
}

/** The best backend this platform has: Wasm SIMD, else scalar Wasm, else the JS twin. */
export function bestBackend(): "wasm-simd" | "wasm" | "js" {
  return hasSimd() ? "wasm-simd" : hasWasm() ? "wasm" : "js";
}

/**
 * Why memory cannot be shared with workers here (so training runs on one
 * thread), in words for people; undefined when it can. Each browser lacks
 * something else: isolation (headers), SharedArrayBuffer itself (WebKitGTK,
 * even isolated), or WebAssembly.
 */
export function sharedMemoryProblem(): string | undefined {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (isolated === false) return "the page is not cross-origin isolated";
  if (typeof SharedArrayBuffer === "undefined") return "this browser offers no SharedArrayBuffer";
  if (!hasWasm()) return "this browser runs no WebAssembly";
  try {
    if (new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer) return undefined;
  } catch {
    // refused below
  }
  return "this browser cannot share WebAssembly memory";
}

/** Whether a shared WebAssembly.Memory can be made and handed to workers here. */
export function canShareMemory(): boolean {
  return sharedMemoryProblem() === undefined;
}

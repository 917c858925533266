// What this platform's WebAssembly can do, probed with tiny hand-assembled
// modules: each is one function returning v128, valid only if the feature is.

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

export function hasSimd(): boolean {
  return (simd ??= WebAssembly.validate(moduleWithBody(v128Zero)));
}

/** f32x4.relaxed_madd (opcode 0xfd 0x105). */
export function hasRelaxedSimd(): boolean {
  return (relaxed ??= WebAssembly.validate(moduleWithBody([...v128Zero, ...v128Zero, ...v128Zero, 0xfd, 0x85, 0x02])));
}

/** Whether a shared WebAssembly.Memory can be made and handed to workers here. */
export function canShareMemory(): boolean {
  if (typeof SharedArrayBuffer === "undefined") return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (isolated === false) return false;
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

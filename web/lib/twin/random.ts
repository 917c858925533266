// JS twin of assembly/kernels/random.ts: the same xorshift32 steps, so the
// masks are bit-identical to the Wasm kernel's.

import type { Heap } from "../memory/heap.ts";

export function dropoutMask(h: Heap, n: number, state: number, mask: number, p: number): void {
  const U = new Uint32Array(h.i32.buffer, state, 1);
  let s = U[0];
  const f32 = Math.fround;
  const keep = f32(1 / f32(1 - f32(p)));
  const pf = f32(p);
  const F = h.f;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const u = (s >>> 8) / 16777216;
    F[(mask >> 2) + i] = u < pf ? 0 : keep;
  }
  U[0] = s;
}

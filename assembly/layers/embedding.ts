// Embedding lookup: out[i] = W[ids[i]] for n ids (i32), rows of D floats.

import { add, at } from "../kernels/elementwise";

export function embeddingForward(n: i32, D: i32, ids: usize, W: usize, out: usize, ldo: i32): void {
  for (let i = 0; i < n; i++) {
    const id = load<i32>(ids + (<usize>i << 2));
    memory.copy(at(out, i * ldo), at(W, id * D), <usize>D << 2);
  }
}

/** dW[ids[i]] += gout[i], except for paddingIdx (−1: none), whose row never learns. */
export function embeddingBackward(n: i32, D: i32, ids: usize, gout: usize, ldg: i32, dW: usize, paddingIdx: i32): void {
  for (let i = 0; i < n; i++) {
    const id = load<i32>(ids + (<usize>i << 2));
    if (id == paddingIdx) continue;
    const row = at(dW, id * D);
    add(D, row, at(gout, i * ldg), row);
  }
}

// JS twin of the engine's workspace sizes (linearWork and the cells' and
// attention's …Work): the same packed operands, without the Wasm GEMM's
// transposed A blocks, which the twin does not copy.

import { packedSize } from "./gemm.ts";

export function linearWork(M: number, N: number, K: number): number {
  return Math.max(packedSize(K, N), packedSize(M, K), packedSize(N, K));
}

function cellWork(T: number, B: number, I: number, H: number, G: number, forwardPack: number, backwardPack: number): number {
  return Math.max(linearWork(T * B, G, I), linearWork(T * B, G, H), forwardPack, backwardPack);
}

export function rnnWork(T: number, B: number, I: number, H: number): number {
  return cellWork(T, B, I, H, H, packedSize(H, H), packedSize(H, H));
}

export function lstmWork(T: number, B: number, I: number, H: number): number {
  return cellWork(T, B, I, H, 4 * H, packedSize(H, 4 * H), packedSize(4 * H, H));
}

export function gruWork(T: number, B: number, I: number, H: number, resetAfter: boolean): number {
  const G = 3 * H;
  if (resetAfter) return cellWork(T, B, I, H, G, packedSize(H, G), packedSize(G, H));
  return cellWork(T, B, I, H, G, packedSize(H, 2 * H) + packedSize(H, H), packedSize(2 * H, H) + packedSize(H, H));
}

export function attentionWork(Td: number, Ts: number, B: number, Hq: number, Hk: number, A: number): number {
  const dims = Math.max(Hq, Hk, Ts, Td, A);
  return Math.max(packedSize(dims, dims), packedSize(Math.max(Td, Ts) * B, Math.max(Hq, Hk)));
}

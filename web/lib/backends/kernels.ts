// The engine's contract: every function the Wasm module exports, with the
// same signature in the JS twin. Pointers are byte offsets into the engine's
// memory; sizes count floats. Booleans cross into Wasm as 0/1. A recurrent
// backward's dhs (T×B×H or 0) records each step's total dL/dh_t.

export type Ptr = number;

export interface Kernels {
  packB(K: number, N: number, B: Ptr, rsb: number, csb: number, Bp: Ptr): void;
  gemmPacked(M: number, N: number, K: number, A: Ptr, rsa: number, csa: number, Bp: Ptr, C: Ptr, ldc: number): void;
  gemmNN(M: number, N: number, K: number, A: Ptr, lda: number, B: Ptr, ldb: number, C: Ptr, ldc: number, work: Ptr): void;
  gemmNT(M: number, N: number, K: number, A: Ptr, lda: number, B: Ptr, ldb: number, C: Ptr, ldc: number, work: Ptr): void;
  gemmTN(M: number, N: number, K: number, A: Ptr, lda: number, B: Ptr, ldb: number, C: Ptr, ldc: number, work: Ptr): void;

  fill(p: Ptr, n: number, v: number): void;
  axpy(n: number, a: number, x: Ptr, y: Ptr): void;
  add(n: number, a: Ptr, b: Ptr, y: Ptr): void;
  mul(n: number, a: Ptr, b: Ptr, y: Ptr): void;
  addMul(n: number, a: Ptr, b: Ptr, y: Ptr): void;
  copyRows(M: number, N: number, src: Ptr, lds: number, dst: Ptr, ldd: number): void;
  scale(p: Ptr, n: number, s: number): void;
  clamp(p: Ptr, n: number, lo: number, hi: number): void;
  fillRows(M: number, N: number, C: Ptr, ldc: number, b1: Ptr, b2: Ptr): void;
  colSums(M: number, N: number, A: Ptr, lda: number, out: Ptr): void;
  countNonFinite(p: Ptr, n: number): number;
  sumSquares(p: Ptr, n: number): number;
  sigmoid(x: Ptr, y: Ptr, n: number): void;
  tanh(x: Ptr, y: Ptr, n: number): void;
  relu(x: Ptr, y: Ptr, n: number): void;
  tanhBackward(n: number, y: Ptr, dy: Ptr, dx: Ptr): void;
  linearForward(M: number, N: number, K: number, x: Ptr, ldx: number, W: Ptr, b1: Ptr, b2: Ptr, y: Ptr, ldy: number, work: Ptr): void;
  linearBackward(
    M: number, N: number, K: number, dy: Ptr, lddy: number, x: Ptr, ldx: number, W: Ptr, dW: Ptr, db: Ptr, dx: Ptr, lddx: number,
    work: Ptr,
  ): void;
  bceWithLogits(n: number, x: Ptr, t: Ptr, grad: Ptr, scale: number): number;
  squaredError(n: number, y: Ptr, t: Ptr, grad: Ptr, scale: number): number;
  dropoutMask(n: number, p: number, state: Ptr, mask: Ptr): void;
  softmaxRows(M: number, N: number, x: Ptr, ldx: number, y: Ptr, ldy: number): void;
  softmaxCrossEntropy(
    M: number, N: number, logits: Ptr, ld: number, targets: Ptr, ignoreIndex: number, grad: Ptr, ldg: number, gscale: number,
  ): number;

  rnnForward(
    T: number, B: number, I: number, H: number, relu: boolean, x: Ptr, ldx: number, wih: Ptr, whh: Ptr, bih: Ptr, bhh: Ptr,
    h0: Ptr, lengths: Ptr, reverse: boolean, hmask: Ptr, out: Ptr, ldo: number, hN: Ptr, gates: Ptr, hprev: Ptr, hdrop: Ptr,
    work: Ptr,
  ): void;
  rnnBackward(
    T: number, B: number, I: number, H: number, relu: boolean, x: Ptr, ldx: number, wih: Ptr, whh: Ptr, lengths: Ptr,
    reverse: boolean, hmask: Ptr, gout: Ptr, ldgo: number, dhN: Ptr, gates: Ptr, hprev: Ptr, hdrop: Ptr, dgates: Ptr,
    dx: Ptr, lddx: number, dh0: Ptr, dhs: Ptr, dwih: Ptr, dwhh: Ptr, dbih: Ptr, dbhh: Ptr, scratch: Ptr, work: Ptr,
  ): void;
  lstmForward(
    T: number, B: number, I: number, H: number, x: Ptr, ldx: number, wih: Ptr, whh: Ptr, bih: Ptr, bhh: Ptr,
    h0: Ptr, c0: Ptr, lengths: Ptr, reverse: boolean, hmask: Ptr, out: Ptr, ldo: number, hN: Ptr, cN: Ptr,
    gates: Ptr, hprev: Ptr, hdrop: Ptr, cprev: Ptr, tanhc: Ptr, work: Ptr,
  ): void;
  lstmBackward(
    T: number, B: number, I: number, H: number, x: Ptr, ldx: number, wih: Ptr, whh: Ptr, lengths: Ptr, reverse: boolean,
    hmask: Ptr, gout: Ptr, ldgo: number, dhN: Ptr, dcN: Ptr, gates: Ptr, hprev: Ptr, hdrop: Ptr, cprev: Ptr, tanhc: Ptr,
    dgates: Ptr, dx: Ptr, lddx: number, dh0: Ptr, dc0: Ptr, dhs: Ptr, dwih: Ptr, dwhh: Ptr, dbih: Ptr, dbhh: Ptr, scratch: Ptr,
    work: Ptr,
  ): void;
  gruForward(
    T: number, B: number, I: number, H: number, resetAfter: boolean, x: Ptr, ldx: number, wih: Ptr, whh: Ptr, bih: Ptr,
    bhh: Ptr, h0: Ptr, lengths: Ptr, reverse: boolean, hmask: Ptr, out: Ptr, ldo: number, hN: Ptr,
    gates: Ptr, hprev: Ptr, hdrop: Ptr, aux: Ptr, scratch: Ptr, work: Ptr,
  ): void;
  gruBackward(
    T: number, B: number, I: number, H: number, resetAfter: boolean, x: Ptr, ldx: number, wih: Ptr, whh: Ptr, lengths: Ptr,
    reverse: boolean, hmask: Ptr, gout: Ptr, ldgo: number, dhN: Ptr, gates: Ptr, hprev: Ptr, hdrop: Ptr, aux: Ptr,
    dgx: Ptr, dgh: Ptr, dx: Ptr, lddx: number, dh0: Ptr, dhs: Ptr, dwih: Ptr, dwhh: Ptr, dbih: Ptr, dbhh: Ptr, scratch: Ptr,
    work: Ptr,
  ): void;

  embeddingForward(n: number, D: number, ids: Ptr, W: Ptr, out: Ptr, ldo: number): void;
  embeddingBackward(n: number, D: number, ids: Ptr, gout: Ptr, ldg: number, dW: Ptr, paddingIdx: number): void;
  poolMeanForward(T: number, B: number, W: number, x: Ptr, lengths: Ptr, out: Ptr): void;
  poolMeanBackward(T: number, B: number, W: number, gout: Ptr, lengths: Ptr, dx: Ptr): void;
  poolMaxForward(T: number, B: number, W: number, x: Ptr, lengths: Ptr, out: Ptr, argmax: Ptr): void;
  poolMaxBackward(T: number, B: number, W: number, gout: Ptr, argmax: Ptr, dx: Ptr): void;
  mergeForward(mode: number, M: number, H: number, x: Ptr, y: Ptr): void;
  mergeBackward(mode: number, M: number, H: number, x: Ptr, dy: Ptr, dx: Ptr): void;
  attentionForward(
    mode: number, Td: number, Ts: number, B: number, Hq: number, Hk: number, A: number, q: Ptr, ldq: number, k: Ptr, ldk: number,
    lengths: Ptr, W: Ptr, Wq: Ptr, Wk: Ptr, v: Ptr, alpha: Ptr, context: Ptr, ldc: number,
    keys: Ptr, pq: Ptr, pk: Ptr, th: Ptr, work: Ptr,
  ): void;
  attentionBackward(
    mode: number, Td: number, Ts: number, B: number, Hq: number, Hk: number, A: number, q: Ptr, ldq: number, k: Ptr, ldk: number,
    lengths: Ptr, W: Ptr, Wq: Ptr, Wk: Ptr, v: Ptr, alpha: Ptr, dctx: Ptr, lddc: number, keys: Ptr, th: Ptr,
    dq: Ptr, lddq: number, dk: Ptr, lddk: number, dW: Ptr, dWq: Ptr, dWk: Ptr, dv: Ptr,
    dkeys: Ptr, dpq: Ptr, dpk: Ptr, dalpha: Ptr, work: Ptr,
  ): void;

  sgdStep(
    n: number, p: Ptr, g: Ptr, buf: Ptr, lr: number, momentum: number, dampening: number, wd: number, nesterov: boolean,
    first: boolean,
  ): void;
  adamStep(
    n: number, p: Ptr, g: Ptr, m: Ptr, v: Ptr, lr: number, beta1: number, beta2: number, eps: number, wd: number,
    decoupled: boolean, bc1: number, bc2: number,
  ): void;
  rmspropStep(
    n: number, p: Ptr, g: Ptr, sq: Ptr, ga: Ptr, buf: Ptr, lr: number, alpha: number, eps: number, wd: number, momentum: number,
  ): void;
  adagradStep(n: number, p: Ptr, g: Ptr, sum: Ptr, clr: number, eps: number, wd: number): void;

  /** Twelve register-resident chains of one operation (0 multiply, 1 add, 2 fused multiply-add) per iteration. */
  peakProbe(kind: number, iterations: number): number;
  peakProbeLanes(): number;
  peakProbeFused(): boolean;
}

/** Every kernel name, checked against the Wasm exports when a module loads. */
export const KERNEL_NAMES = [
  "packB", "gemmPacked", "gemmNN", "gemmNT", "gemmTN",
  "fill", "axpy", "add", "mul", "addMul", "copyRows", "scale", "clamp", "fillRows", "colSums", "countNonFinite", "sumSquares",
  "sigmoid", "tanh", "relu", "tanhBackward", "linearForward", "linearBackward",
  "softmaxRows", "softmaxCrossEntropy", "bceWithLogits", "squaredError", "dropoutMask",
  "rnnForward", "rnnBackward", "lstmForward", "lstmBackward", "gruForward", "gruBackward",
  "embeddingForward", "embeddingBackward", "poolMeanForward", "poolMeanBackward", "poolMaxForward", "poolMaxBackward",
  "mergeForward", "mergeBackward", "attentionForward", "attentionBackward",
  "sgdStep", "adamStep", "rmspropStep", "adagradStep", "peakProbe", "peakProbeLanes", "peakProbeFused",
] as const satisfies readonly (keyof Kernels)[];

// Compile-time proof that KERNEL_NAMES lists every member of Kernels.
type Missing = Exclude<keyof Kernels, (typeof KERNEL_NAMES)[number]>;
const complete: Missing extends never ? true : Missing = true;
void complete;

/** Floats needed to pack a K×N operand into 8-wide panels (assembly/kernels/gemm.ts). */
export function packedSize(K: number, N: number): number {
  return K * ((N + 7) & ~7);
}

/** Workspace floats of gemmTN (and so of linearBackward's weight gradient): the packed K×N operand and a transposed A block. */
export function tnWork(K: number, N: number): number {
  return packedSize(K, N) + 64 * 256;
}

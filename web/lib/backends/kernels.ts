// The engine's contract: every function the Wasm module exports
// (assembly/index.ts), with the same signature in the JS twin (twin/index.ts).
//
// Pointers (Ptr) are byte offsets into the engine's memory; sizes and leading
// dimensions (ld…) count floats; every matrix is row-major. A null pointer (0)
// means "absent" where a doc says it may be. Booleans cross into Wasm as 0/1.
// One argument order everywhere: sizes; then modes (which computation: cell
// activation, direction, merge or score kind); then pointers in data-flow
// order (inputs, outputs, caches, gradients), each followed by its leading
// dimension; then scalar settings; then scratch and work last. Kernels that
// take `work` export the floats it must hold (…Work), so the host never
// restates a kernel's blocking.

import { GatedError } from "../errors.ts";

export type Ptr = number;

/** How mergeForward/Backward combine a bidirectional output's two halves. */
export const MERGE_MODES = { sum: 1, mean: 2, mul: 3 } as const;
/** How attentionForward/Backward score a query against a key. */
export const ATTENTION_SCORES = { dot: 0, general: 1, additive: 2 } as const;
/** The operation peakProbe chains. */
export const PROBE_OPS = { multiply: 0, add: 1, fma: 2 } as const;

export type MergeModeCode = (typeof MERGE_MODES)[keyof typeof MERGE_MODES];
export type AttentionScoreCode = (typeof ATTENTION_SCORES)[keyof typeof ATTENTION_SCORES];
export type ProbeOpCode = (typeof PROBE_OPS)[keyof typeof PROBE_OPS];

export interface Kernels {
  // Elementwise over n floats.
  /** p[0..n) = v. */
  fill(n: number, p: Ptr, v: number): void;
  /** y += a·x. */
  axpy(n: number, x: Ptr, y: Ptr, a: number): void;
  /** y = a + b. */
  add(n: number, a: Ptr, b: Ptr, y: Ptr): void;
  /** y = a ⊙ b. */
  mul(n: number, a: Ptr, b: Ptr, y: Ptr): void;
  /** p *= s. */
  scale(n: number, p: Ptr, s: number): void;
  /** p = min(max(p, lo), hi). */
  clamp(n: number, p: Ptr, lo: number, hi: number): void;
  /** How many of p[0..n) are NaN or ±Inf. */
  countNonFinite(n: number, p: Ptr): number;
  /** Σ p², accumulated in float64. */
  sumSquares(n: number, p: Ptr): number;
  /** y = tanh(x) (y may be x). */
  tanh(n: number, x: Ptr, y: Ptr): void;
  /** dx = dy ⊙ (1 − y²), y = tanh of the forward. */
  tanhBackward(n: number, y: Ptr, dy: Ptr, dx: Ptr): void;
  /** dst (M×N, ldd) = src (M×N, lds). */
  copyRows(M: number, N: number, src: Ptr, lds: number, dst: Ptr, ldd: number): void;

  // Affine maps, W in PyTorch's [out, in] layout.
  /** y (M×N, ldy) = x (M×K, ldx)·Wᵀ + b1 + b2; W: N×K; biases N or 0. work: linearWork(M, N, K). */
  linearForward(M: number, N: number, K: number, x: Ptr, ldx: number, W: Ptr, b1: Ptr, b2: Ptr, y: Ptr, ldy: number, work: Ptr): void;
  /** From dy (M×N): dW += dyᵀ·x, db += Σ rows of dy (or 0), dx (M×K) += dy·W (or 0). work: linearWork(M, N, K). */
  linearBackward(
    M: number, N: number, K: number, dy: Ptr, lddy: number, x: Ptr, ldx: number, W: Ptr, dW: Ptr, db: Ptr, dx: Ptr, lddx: number,
    work: Ptr,
  ): void;
  linearWork(M: number, N: number, K: number): number;

  // Losses: each returns the summed loss (float64) and writes scale·∂loss/∂input into grad (or skips it when 0).
  /** Rows of N logits (M×N, ld) against class ids (i32[M]); rows whose id is ignoreIndex add nothing. */
  softmaxCrossEntropy(
    M: number, N: number, logits: Ptr, ld: number, targets: Ptr, grad: Ptr, ldg: number, ignoreIndex: number, gscale: number,
  ): number;
  /** Binary cross-entropy of n logits x against targets t in [0, 1]. */
  bceWithLogits(n: number, x: Ptr, t: Ptr, grad: Ptr, scale: number): number;
  /** Σ (y − t)² over n values. */
  squaredError(n: number, y: Ptr, t: Ptr, grad: Ptr, scale: number): number;
  /** mask[0..n) = 0 with probability p, else 1/(1 − p); state: the xorshift32 generator's u32, advanced by n draws. */
  dropoutMask(n: number, state: Ptr, mask: Ptr, p: number): void;

  // Recurrent cells over whole sequences, PyTorch's gate order and weight layout.
  // x: T×B rows of I (ldx); h0 (c0): B×H or 0; lengths: i32[B] or 0 (padded steps give zeros and keep the state);
  // reverse runs t = T−1…0; hmask: B×H recurrent-dropout mask or 0; out: T×B rows of H (ldo); hN (cN): B×H.
  // Caches per step, kept for the backward: gates T×B×(gates·H), hprev (and hdrop with hmask) T×B×H, and
  // the cell's own (LSTM cprev, tanhc; GRU aux). Backward: gout (T×B rows, ldgo) and dhN (dcN) in; dh0 (dc0) and
  // dhs (T×B×H per-step dL/dh_t, or 0) out; dx (T×B rows, lddx, or 0) and the weight gradients accumulate.
  // work: the cell's …Work.
  rnnForward(
    T: number, B: number, I: number, H: number, relu: boolean, reverse: boolean, x: Ptr, ldx: number, wih: Ptr, whh: Ptr, bih: Ptr,
    bhh: Ptr, h0: Ptr, lengths: Ptr, hmask: Ptr, out: Ptr, ldo: number, hN: Ptr, gates: Ptr, hprev: Ptr, hdrop: Ptr,
    work: Ptr,
  ): void;
  /** dgates: T×B×H; scratch: B×H. */
  rnnBackward(
    T: number, B: number, I: number, H: number, relu: boolean, reverse: boolean, x: Ptr, ldx: number, wih: Ptr, whh: Ptr,
    lengths: Ptr, hmask: Ptr, gout: Ptr, ldgo: number, dhN: Ptr, gates: Ptr, hprev: Ptr, hdrop: Ptr, dgates: Ptr,
    dx: Ptr, lddx: number, dh0: Ptr, dhs: Ptr, dwih: Ptr, dwhh: Ptr, dbih: Ptr, dbhh: Ptr, scratch: Ptr, work: Ptr,
  ): void;
  rnnWork(T: number, B: number, I: number, H: number): number;
  /** Gates i, f, g, o (4H per row); cprev, tanhc: T×B×H. */
  lstmForward(
    T: number, B: number, I: number, H: number, reverse: boolean, x: Ptr, ldx: number, wih: Ptr, whh: Ptr, bih: Ptr, bhh: Ptr,
    h0: Ptr, c0: Ptr, lengths: Ptr, hmask: Ptr, out: Ptr, ldo: number, hN: Ptr, cN: Ptr,
    gates: Ptr, hprev: Ptr, hdrop: Ptr, cprev: Ptr, tanhc: Ptr, work: Ptr,
  ): void;
  /** dgates: T×B×4H; scratch: B×H. */
  lstmBackward(
    T: number, B: number, I: number, H: number, reverse: boolean, x: Ptr, ldx: number, wih: Ptr, whh: Ptr, lengths: Ptr,
    hmask: Ptr, gout: Ptr, ldgo: number, dhN: Ptr, dcN: Ptr, gates: Ptr, hprev: Ptr, hdrop: Ptr, cprev: Ptr, tanhc: Ptr,
    dgates: Ptr, dx: Ptr, lddx: number, dh0: Ptr, dc0: Ptr, dhs: Ptr, dwih: Ptr, dwhh: Ptr, dbih: Ptr, dbhh: Ptr, scratch: Ptr,
    work: Ptr,
  ): void;
  lstmWork(T: number, B: number, I: number, H: number): number;
  /** Gates r, z, n (3H per row); resetAfter applies r after W_hn (PyTorch) or before (the 2014 paper); aux: T×B×H; scratch: B×3H. */
  gruForward(
    T: number, B: number, I: number, H: number, resetAfter: boolean, reverse: boolean, x: Ptr, ldx: number, wih: Ptr, whh: Ptr,
    bih: Ptr, bhh: Ptr, h0: Ptr, lengths: Ptr, hmask: Ptr, out: Ptr, ldo: number, hN: Ptr,
    gates: Ptr, hprev: Ptr, hdrop: Ptr, aux: Ptr, scratch: Ptr, work: Ptr,
  ): void;
  /** dgx, dgh: T×B×3H (input and hidden sides); scratch: 2·B×H. */
  gruBackward(
    T: number, B: number, I: number, H: number, resetAfter: boolean, reverse: boolean, x: Ptr, ldx: number, wih: Ptr, whh: Ptr,
    lengths: Ptr, hmask: Ptr, gout: Ptr, ldgo: number, dhN: Ptr, gates: Ptr, hprev: Ptr, hdrop: Ptr, aux: Ptr,
    dgx: Ptr, dgh: Ptr, dx: Ptr, lddx: number, dh0: Ptr, dhs: Ptr, dwih: Ptr, dwhh: Ptr, dbih: Ptr, dbhh: Ptr, scratch: Ptr,
    work: Ptr,
  ): void;
  gruWork(T: number, B: number, I: number, H: number, resetAfter: boolean): number;

  // Layers.
  /** out (n rows of D, ldo) = rows ids (i32[n]) of W. */
  embeddingForward(n: number, D: number, ids: Ptr, W: Ptr, out: Ptr, ldo: number): void;
  /** dW's rows ids += gout's rows, except the paddingIdx row (−1: none). */
  embeddingBackward(n: number, D: number, ids: Ptr, gout: Ptr, ldg: number, dW: Ptr, paddingIdx: number): void;
  /** out (B×W) = mean over each sequence's real steps of x (T×B×W); lengths i32[B] or 0. */
  poolMeanForward(T: number, B: number, W: number, x: Ptr, lengths: Ptr, out: Ptr): void;
  poolMeanBackward(T: number, B: number, W: number, gout: Ptr, lengths: Ptr, dx: Ptr): void;
  /** out (B×W) = max over real steps; argmax (i32, B×W) kept for the backward. */
  poolMaxForward(T: number, B: number, W: number, x: Ptr, lengths: Ptr, out: Ptr, argmax: Ptr): void;
  poolMaxBackward(T: number, B: number, W: number, gout: Ptr, argmax: Ptr, dx: Ptr): void;
  /** y (M×H) = the two halves of x's rows (M×2H: forward, reverse) combined by mode. */
  mergeForward(M: number, H: number, mode: MergeModeCode, x: Ptr, y: Ptr): void;
  mergeBackward(M: number, H: number, mode: MergeModeCode, x: Ptr, dy: Ptr, dx: Ptr): void;
  /**
   * Td×B queries q (Hq, ldq) over Ts×B keys k (Hk, ldk), lengths i32[B] or 0: alpha (B×Td×Ts) and context
   * (Td×B rows of Hk, ldc). Weights by mode: general W (Hq×Hk); additive Wq (A×Hq), Wk (A×Hk), v (A); others 0.
   * Caches: keys Ts×B×Hq (general), pq Td×B×A, pk Ts×B×A, th B×Td×Ts×A (additive). work: attentionWork(…).
   */
  attentionForward(
    Td: number, Ts: number, B: number, Hq: number, Hk: number, A: number, mode: AttentionScoreCode, q: Ptr, ldq: number, k: Ptr,
    ldk: number, lengths: Ptr, W: Ptr, Wq: Ptr, Wk: Ptr, v: Ptr, alpha: Ptr, context: Ptr, ldc: number,
    keys: Ptr, pq: Ptr, pk: Ptr, th: Ptr, work: Ptr,
  ): void;
  /** dq, dk accumulate; dkeys, dpq, dpk (the projecting modes') and dalpha (Td×Ts) are scratch. */
  attentionBackward(
    Td: number, Ts: number, B: number, Hq: number, Hk: number, A: number, mode: AttentionScoreCode, q: Ptr, ldq: number, k: Ptr,
    ldk: number, lengths: Ptr, W: Ptr, Wq: Ptr, Wk: Ptr, v: Ptr, alpha: Ptr, dctx: Ptr, lddc: number, keys: Ptr, th: Ptr,
    dq: Ptr, lddq: number, dk: Ptr, lddk: number, dW: Ptr, dWq: Ptr, dWk: Ptr, dv: Ptr,
    dkeys: Ptr, dpq: Ptr, dpk: Ptr, dalpha: Ptr, work: Ptr,
  ): void;
  attentionWork(Td: number, Ts: number, B: number, Hq: number, Hk: number, A: number): number;

  // Optimizer steps over n parameters p with gradients g, as torch.optim's (buffers named as there).
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

  /** Twelve register-resident chains of one operation per iteration (assembly/kernels/probe.ts). */
  peakProbe(iterations: number, op: ProbeOpCode): number;
  /** Lanes per probed operation (4 with SIMD). */
  peakProbeLanes(): number;
  /** Whether the fma probe runs fused multiply-adds in this build. */
  peakProbeFused(): boolean;
}

/**
 * Every kernel and how many arguments it takes: a Wasm module is checked
 * against this when it loads. The compiler checks it against Kernels.
 */
export const KERNEL_ARITY = {
  fill: 3, axpy: 4, add: 4, mul: 4, scale: 3, clamp: 4, countNonFinite: 2, sumSquares: 2, tanh: 3, tanhBackward: 4, copyRows: 6,
  linearForward: 11, linearBackward: 13, linearWork: 3,
  softmaxCrossEntropy: 9, bceWithLogits: 5, squaredError: 5, dropoutMask: 4,
  rnnForward: 22, rnnBackward: 29, rnnWork: 4, lstmForward: 25, lstmBackward: 32, lstmWork: 4,
  gruForward: 24, gruBackward: 31, gruWork: 5,
  embeddingForward: 6, embeddingBackward: 7, poolMeanForward: 6, poolMeanBackward: 6, poolMaxForward: 7, poolMaxBackward: 6,
  mergeForward: 5, mergeBackward: 6, attentionForward: 24, attentionBackward: 34, attentionWork: 6,
  sgdStep: 10, adamStep: 13, rmspropStep: 11, adagradStep: 7,
  peakProbe: 2, peakProbeLanes: 0, peakProbeFused: 0,
} as const satisfies { [K in keyof Kernels]: Parameters<Kernels[K]>["length"] };

// Compile-time proof that KERNEL_ARITY lists every member of Kernels.
type Missing = Exclude<keyof Kernels, keyof typeof KERNEL_ARITY>;
const complete: Missing extends never ? true : Missing = true;
void complete;

/** Whether every kernel of the contract is there with its number of arguments; what is not goes into `wrong`. */
function fitsContract(exports: Record<string, unknown>, wrong: string[]): exports is Record<string, unknown> & Kernels {
  for (const [name, arity] of Object.entries(KERNEL_ARITY)) {
    const fn = exports[name];
    if (typeof fn !== "function") wrong.push(`${name} is missing`);
    else if (fn.length !== arity) wrong.push(`${name} takes ${fn.length} arguments, the contract ${arity}`);
  }
  return wrong.length === 0;
}

/** The exports (of a Wasm build, or the JS twin bound to its heap) as Kernels, once they fit the contract. */
export function checkKernels(exports: Record<string, unknown>, what = "the engine module"): Kernels {
  const wrong: string[] = [];
  if (!fitsContract(exports, wrong)) throw new GatedError(`${what} does not match its contract (${wrong.join("; ")}); rebuild it with \`npm run build\``);
  return exports;
}

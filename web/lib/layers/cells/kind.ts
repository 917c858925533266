// How the recurrent layer drives one cell kind: its gate count, the caches
// its kernels keep per step, the scratch they need and the kernel calls.

import type { Kernels, Ptr } from "../../backends/kernels.ts";

export interface StepArgs {
  T: number;
  B: number;
  I: number;
  H: number;
  x: Ptr;
  ldx: number;
  wih: Ptr;
  whh: Ptr;
  bih: Ptr;
  bhh: Ptr;
  lengths: Ptr;
  reverse: boolean;
  /** Recurrent-dropout mask (B×H) or 0. */
  hmask: Ptr;
  /** Pointer to this direction's cache of the given name. */
  cache: (name: string) => Ptr;
  scratch: Ptr;
  work: Ptr;
}

export interface ForwardArgs extends StepArgs {
  h0: Ptr;
  c0: Ptr;
  out: Ptr;
  ldo: number;
  hN: Ptr;
  cN: Ptr;
}

export interface BackwardArgs extends StepArgs {
  gout: Ptr;
  ldgo: number;
  dhN: Ptr;
  dcN: Ptr;
  dx: Ptr;
  lddx: number;
  dh0: Ptr;
  dc0: Ptr;
  /** Each step's total dL/dh_t (T×B×H, original time order), or 0 to skip. */
  dhs: Ptr;
  dwih: Ptr;
  dwhh: Ptr;
  dbih: Ptr;
  dbhh: Ptr;
}

export interface CellKind {
  /** Gate blocks per unit: rows of W_ih are gates·H. */
  readonly gates: number;
  /** Whether the cell carries a second state (LSTM's c). */
  readonly hasCell: boolean;
  /** Floats per (step, sequence) of each cache; hdrop (H) is added when recurrent dropout is on. */
  caches(H: number): Record<string, number>;
  /** Floats of workspace the kernels need for T×B steps of I inputs (one direction, forward and backward). */
  work(k: Kernels, T: number, B: number, I: number, H: number): number;
  scratch(B: number, H: number): number;
  forward(k: Kernels, a: ForwardArgs): void;
  backward(k: Kernels, a: BackwardArgs): void;
}

import type { CellKind } from "./kind.ts";

/** resetAfter: PyTorch/cuDNN candidate r ⊙ (W_hn h + b_hn); otherwise Cho et al. 2014, W_hn (r ⊙ h). */
export function gruCell(resetAfter: boolean): CellKind {
  return {
    gates: 3,
    hasCell: false,
    caches: (H) => ({ gates: 3 * H, hprev: H, aux: H, dgx: 3 * H, ...(resetAfter ? { dgh: 3 * H } : {}) }),
    work: (k, T, B, I, H) => k.gruWork(T, B, I, H, resetAfter),
    scratch: (B, H) => B * 3 * H,
    forward(k, a) {
      k.gruForward(
        a.T, a.B, a.I, a.H, resetAfter, a.reverse, a.x, a.ldx, a.wih, a.whh, a.bih, a.bhh, a.h0, a.lengths, a.hmask, a.out,
        a.ldo, a.hN, a.cache("gates"), a.cache("hprev"), a.hmask && a.cache("hdrop"), a.cache("aux"), a.scratch, a.work,
      );
    },
    backward(k, a) {
      k.gruBackward(
        a.T, a.B, a.I, a.H, resetAfter, a.reverse, a.x, a.ldx, a.wih, a.whh, a.lengths, a.hmask, a.gout, a.ldgo, a.dhN,
        a.cache("gates"), a.cache("hprev"), a.hmask && a.cache("hdrop"), a.cache("aux"), a.cache("dgx"),
        resetAfter ? a.cache("dgh") : 0,
        a.dx, a.lddx, a.dh0, a.dhs, a.dwih, a.dwhh, a.dbih, a.dbhh, a.scratch, a.work,
      );
    },
  };
}

import type { CellKind } from "./kind.ts";

export const lstmCell: CellKind = {
  gates: 4,
  hasCell: true,
  caches: (H) => ({ gates: 4 * H, hprev: H, cprev: H, tanhc: H, dgates: 4 * H }),
  work: (k, T, B, I, H) => k.lstmWork(T, B, I, H),
  scratch: (B, H) => B * H,
  forward(k, a) {
    k.lstmForward(
      a.T, a.B, a.I, a.H, a.reverse, a.x, a.ldx, a.wih, a.whh, a.bih, a.bhh, a.h0, a.c0, a.lengths, a.hmask, a.out, a.ldo,
      a.hN, a.cN, a.cache("gates"), a.cache("hprev"), a.hmask && a.cache("hdrop"), a.cache("cprev"), a.cache("tanhc"), a.work,
    );
  },
  backward(k, a) {
    k.lstmBackward(
      a.T, a.B, a.I, a.H, a.reverse, a.x, a.ldx, a.wih, a.whh, a.lengths, a.hmask, a.gout, a.ldgo, a.dhN, a.dcN,
      a.cache("gates"), a.cache("hprev"), a.hmask && a.cache("hdrop"), a.cache("cprev"), a.cache("tanhc"), a.cache("dgates"),
      a.dx, a.lddx, a.dh0, a.dc0, a.dhs, a.dwih, a.dwhh, a.dbih, a.dbhh, a.scratch, a.work,
    );
  },
};

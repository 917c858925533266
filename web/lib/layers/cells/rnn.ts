import type { CellKind } from "./kind.ts";

export function rnnCell(nonlinearity: "tanh" | "relu"): CellKind {
  const relu = nonlinearity === "relu";
  return {
    gates: 1,
    hasCell: false,
    caches: (H) => ({ gates: H, hprev: H, dgates: H }),
    work: (k, T, B, I, H) => k.rnnWork(T, B, I, H),
    scratch: (B, H) => B * H,
    forward(k, a) {
      k.rnnForward(
        a.T, a.B, a.I, a.H, relu, a.reverse, a.x, a.ldx, a.wih, a.whh, a.bih, a.bhh, a.h0, a.lengths, a.hmask, a.out, a.ldo,
        a.hN, a.cache("gates"), a.cache("hprev"), a.hmask && a.cache("hdrop"), a.work,
      );
    },
    backward(k, a) {
      k.rnnBackward(
        a.T, a.B, a.I, a.H, relu, a.reverse, a.x, a.ldx, a.wih, a.whh, a.lengths, a.hmask, a.gout, a.ldgo, a.dhN,
        a.cache("gates"), a.cache("hprev"), a.hmask && a.cache("hdrop"), a.cache("dgates"), a.dx, a.lddx, a.dh0, a.dhs, a.dwih,
        a.dwhh, a.dbih, a.dbhh, a.scratch, a.work,
      );
    },
  };
}

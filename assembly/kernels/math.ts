// exp, sigmoid and tanh for one f32 and for four lanes, each by one algorithm
// for both, so the scalar and SIMD builds agree closely:
// exp(x) = 2^n · p(r) with n = round(x·log2 e), r = x − n·ln 2 (split in two
// constants for accuracy) and p a degree-6 Taylor polynomial (|r| ≤ ln2/2,
// relative error < 2e-7); sigmoid = 1 / (1 + exp(−x)); tanh(x) = x·P(x²)/Q(x²),
// a degree-4/4 rational with minimax relative error (scripts/fit-tanh.py fits
// it: < 4e-7 in float32, near 0 too) on x clamped to ±9, beyond which
// float32's tanh is ±1 — 13 operations and one division where
// 1 − 2/(exp(2x) + 1) took 19; tanh is two of an LSTM step's five.

import { madd } from "./vec";

const LOG2E: f32 = 1.44269504;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
// Adding 1.5·2^23 + 127 rounds to an integer n + 127 held in the low mantissa
// bits, so n (subtracting it back) and 2^n (those bits shifted into the
// exponent) cost one operation each instead of round, convert and add.
const ROUNDER: f32 = 12583039.0;
const X_MAX: f32 = 88.0; // 2^127 is the largest power we build
const X_MIN: f32 = -87.0; // 2^-126 is the smallest normal
const P2: f32 = 0.5;
const P3: f32 = 0.16666667;
const P4: f32 = 0.041666668;
const P5: f32 = 0.008333334;
const P6: f32 = 0.0013888889;
const T_MAX: f32 = 9.0;
const TP1: f32 = 0.133810267;
const TP2: f32 = 0.00349558867;
const TP3: f32 = 2.06090899e-5;
const TP4: f32 = 1.33546694e-8;
const TQ1: f32 = 0.467143416;
const TQ2: f32 = 0.025876984;
const TQ3: f32 = 0.000328563561;
const TQ4: f32 = 7.77656169e-7;

// Clamps that keep NaN (it fails both comparisons) and are one instruction per
// bound on x86: Wasm's min and max order NaN and ±0 and take eight there.
@inline function clampf(x: f32, lo: f32, hi: f32): f32 {
  x = x < lo ? lo : x;
  return hi < x ? hi : x;
}

@inline function clampv(x: v128, lo: v128, hi: v128): v128 {
  return f32x4.pmin(f32x4.pmax(x, lo), hi);
}

// The vector forms read their constants from one table in the module's data
// (the first page, which the host leaves alone): a splat load from a fixed
// address is one instruction, where V8 rebuilds a v128 constant with three at
// every use inside a loop.
enum C { XMin, XMax, Log2e, Rounder, NegLn2Hi, NegLn2Lo, P6, P5, P4, P3, P2, One, TMin, TMax, TP4, TP3, TP2, TP1, TQ4, TQ3, TQ2, TQ1 }
const TABLE = memory.data<f32>([
  X_MIN, X_MAX, LOG2E, ROUNDER, -LN2_HI, -LN2_LO, P6, P5, P4, P3, P2, 1, -T_MAX, T_MAX, TP4, TP3, TP2, TP1, TQ4, TQ3, TQ2, TQ1,
]);

@inline function k(c: C): v128 {
  return v128.load32_splat(TABLE + (<usize>c << 2));
}

@inline export function expf(x: f32): f32 {
  x = clampf(x, X_MIN, X_MAX);
  const biased = x * LOG2E + ROUNDER;
  const n = biased - ROUNDER;
  const r = x - n * LN2_HI - n * LN2_LO;
  const p = f32(1) + r * (f32(1) + r * (P2 + r * (P3 + r * (P4 + r * (P5 + r * P6)))));
  return p * reinterpret<f32>(reinterpret<i32>(biased) << 23);
}

@inline export function sigmoidf(x: f32): f32 {
  return f32(1) / (f32(1) + expf(-x));
}

@inline export function tanhf(x: f32): f32 {
  x = clampf(x, -T_MAX, T_MAX);
  const s = x * x;
  const p = f32(1) + s * (TP1 + s * (TP2 + s * (TP3 + s * TP4)));
  const q = f32(1) + s * (TQ1 + s * (TQ2 + s * (TQ3 + s * TQ4)));
  return (x * p) / q;
}

@inline export function expv(x: v128): v128 {
  x = clampv(x, k(C.XMin), k(C.XMax));
  const biased = madd(x, k(C.Log2e), k(C.Rounder));
  const n = f32x4.sub(biased, k(C.Rounder));
  // madd: fused in the FMA build (one rounding per step), plain multiply and add otherwise.
  const r = madd(n, k(C.NegLn2Lo), madd(n, k(C.NegLn2Hi), x));
  let p = madd(r, k(C.P6), k(C.P5));
  p = madd(r, p, k(C.P4));
  p = madd(r, p, k(C.P3));
  p = madd(r, p, k(C.P2));
  p = madd(r, p, k(C.One));
  p = madd(r, p, k(C.One));
  return f32x4.mul(p, i32x4.shl(biased, 23));
}

@inline export function sigmoidv(x: v128): v128 {
  const one = k(C.One);
  // 0 − x: a zero costs one instruction, the sign mask of f32x4.neg two.
  return f32x4.div(one, f32x4.add(one, expv(f32x4.sub(f32x4.splat(0), x))));
}

@inline export function tanhv(x: v128): v128 {
  x = clampv(x, k(C.TMin), k(C.TMax));
  const s = f32x4.mul(x, x);
  let p = madd(s, k(C.TP4), k(C.TP3));
  p = madd(s, p, k(C.TP2));
  p = madd(s, p, k(C.TP1));
  p = madd(s, p, k(C.One));
  let q = madd(s, k(C.TQ4), k(C.TQ3));
  q = madd(s, q, k(C.TQ2));
  q = madd(s, q, k(C.TQ1));
  q = madd(s, q, k(C.One));
  return f32x4.div(f32x4.mul(x, p), q);
}

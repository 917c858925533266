// The peak of this build on this machine, measured the way the GEMM uses the
// hardware: twelve independent register-resident chains of one operation —
// kind 0 multiply, 1 add, 2 fused multiply-add (relaxed-SIMD builds; others
// run multiplies) — each acc ← acc op m, so nothing is loop-invariant and
// twelve chains cover the latency. The host times each kind and derives the
// multiply-add peak: 2 flops per lane from the slower of multiply and add
// (assuming their pipes overlap, which can only overstate the peak), or from
// the FMA rate. Every iteration performs twelve vector (or scalar) operations.

export function peakProbe(iterations: i32, kind: i32): f32 {
  if (ASC_FEATURE_SIMD) return peakProbeSimd(kind, iterations);
  return peakProbeScalar(kind, iterations);
}

/** Lanes per operation of peakProbe in this build (4 with SIMD). */
export function peakProbeLanes(): i32 {
  return ASC_FEATURE_SIMD ? 4 : 1;
}

/** Whether kind 2 runs fused multiply-adds in this build. */
export function peakProbeFused(): bool {
  return ASC_FEATURE_RELAXED_SIMD;
}

// One loop per kind: a test of the kind inside the loop would be measured too.
function peakProbeSimd(kind: i32, iterations: i32): f32 {
  if (kind == 1) return chains(iterations, 1e-7, 1);
  if (ASC_FEATURE_RELAXED_SIMD && kind == 2) return chains(iterations, 0.9999999, 2);
  return chains(iterations, 0.9999999, 0);
}

@inline function chains(iterations: i32, factor: f32, kind: i32): f32 {
  const m = f32x4.splat(factor);
  let a0 = f32x4.splat(0.1), a1 = f32x4.splat(0.2), a2 = f32x4.splat(0.3), a3 = f32x4.splat(0.4);
  let a4 = f32x4.splat(0.5), a5 = f32x4.splat(0.6), a6 = f32x4.splat(0.7), a7 = f32x4.splat(0.8);
  let a8 = f32x4.splat(0.9), a9 = f32x4.splat(1.0), a10 = f32x4.splat(1.1), a11 = f32x4.splat(1.2);
  // `kind` is a constant at each inlined call site, so each copy keeps one operation.
  for (let i = 0; i < iterations; i++) {
    a0 = op(kind, a0, m); a1 = op(kind, a1, m); a2 = op(kind, a2, m); a3 = op(kind, a3, m);
    a4 = op(kind, a4, m); a5 = op(kind, a5, m); a6 = op(kind, a6, m); a7 = op(kind, a7, m);
    a8 = op(kind, a8, m); a9 = op(kind, a9, m); a10 = op(kind, a10, m); a11 = op(kind, a11, m);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(f32x4.add(s, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))), 0);
}

@inline function op(kind: i32, a: v128, m: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD && kind == 2) return f32x4.relaxed_madd(a, m, m);
  return kind == 1 ? f32x4.add(a, m) : f32x4.mul(a, m);
}

function peakProbeScalar(kind: i32, iterations: i32): f32 {
  const m: f32 = kind == 1 ? 1e-7 : 0.9999999;
  let a0: f32 = 0.1, a1: f32 = 0.2, a2: f32 = 0.3, a3: f32 = 0.4, a4: f32 = 0.5, a5: f32 = 0.6;
  let a6: f32 = 0.7, a7: f32 = 0.8, a8: f32 = 0.9, a9: f32 = 1.0, a10: f32 = 1.1, a11: f32 = 1.2;
  for (let i = 0; i < iterations; i++) {
    if (kind == 1) {
      a0 += m; a1 += m; a2 += m; a3 += m; a4 += m; a5 += m; a6 += m; a7 += m; a8 += m; a9 += m; a10 += m; a11 += m;
    } else {
      a0 *= m; a1 *= m; a2 *= m; a3 *= m; a4 *= m; a5 *= m; a6 *= m; a7 *= m; a8 *= m; a9 *= m; a10 *= m; a11 *= m;
    }
  }
  return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
}

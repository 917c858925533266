// Shared v128 helpers. madd uses the fused relaxed-SIMD instruction when the
// build enables it, so one source serves the simd and relaxed-simd targets.

@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline export function f4(x: f32): v128 {
  return f32x4.splat(x);
}

// Dropout masks from a xorshift32 generator whose state lives in host memory
// (a u32 at `state`), so kernels keep no statics and the JS twin, running the
// same integer steps, draws bit-identical masks.

/** Fills mask with 0 (probability p) or 1/(1 − p); advances the state by n draws. */
export function dropoutMask(n: i32, state: usize, mask: usize, p: f32): void {
  let s = load<u32>(state);
  const keep = f32(1) / (f32(1) - p);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    // 24 high bits → uniform in [0, 1), exactly representable in f32
    const u = <f32>(s >> 8) * f32(1.0 / 16777216.0);
    store<f32>(mask + (<usize>i << 2), u < p ? 0 : keep);
  }
  store<u32>(state, s);
}

// Deterministic data and float64 helpers for the kernel specs.

let state: u32 = 12345;

export function seed(s: u32): void {
  state = s;
}

/** Uniform in [-scale, scale). */
export function rand(scale: f32 = 1): f32 {
  state = state * 1664525 + 1013904223;
  return (<f32>(state >> 8) / <f32>(1 << 24) * 2 - 1) * scale;
}

export function alloc(floats: i32): usize {
  return heap.alloc(<usize>max(floats, 1) << 2);
}

export function randomArray(n: i32, scale: f32 = 1): usize {
  const p = alloc(n);
  for (let i = 0; i < n; i++) store<f32>(p + (<usize>i << 2), rand(scale));
  return p;
}

export function copyOf(src: usize, n: i32): usize {
  const p = alloc(n);
  memory.copy(p, src, <usize>n << 2);
  return p;
}

export function get(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}

export function set(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}

/** Largest |a[i] − b[i]|. */
export function maxAbsDiff(a: usize, b: usize, n: i32): f64 {
  let worst: f64 = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(<f64>get(a, i) - <f64>get(b, i)));
  return worst;
}

/** Largest |a[i] − b[i]| / (1 + |b[i]|): relative error for large values, absolute for small. */
export function maxMixedDiff(a: usize, b: usize, n: i32): f64 {
  let worst: f64 = 0;
  for (let i = 0; i < n; i++) {
    const y = <f64>get(b, i);
    worst = Math.max(worst, Math.abs(<f64>get(a, i) - y) / (1 + Math.abs(y)));
  }
  return worst;
}

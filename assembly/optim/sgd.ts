// SGD with momentum, dampening, Nesterov and L2 weight decay, as torch.optim.SGD:
//   d = g + wd·p;  buf = first ? d : μ·buf + (1 − dampening)·d
//   d = nesterov ? d + μ·buf : buf;  p −= lr·d
// buf is null when μ = 0.

import { at } from "../kernels/elementwise";

export function sgdStep(
  n: i32, p: usize, g: usize, buf: usize, lr: f32, momentum: f32, dampening: f32, wd: f32, nesterov: bool, first: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lrv = f32x4.splat(lr);
    const wdv = f32x4.splat(wd);
    const mu = f32x4.splat(momentum);
    const damp = f32x4.splat(f32(1) - dampening);
    for (; i + 4 <= n; i += 4) {
      const pv = v128.load(at(p, i));
      let d = f32x4.add(v128.load(at(g, i)), f32x4.mul(wdv, pv));
      if (buf != 0) {
        const b = first ? d : f32x4.add(f32x4.mul(mu, v128.load(at(buf, i))), f32x4.mul(damp, d));
        v128.store(at(buf, i), b);
        d = nesterov ? f32x4.add(d, f32x4.mul(mu, b)) : b;
      }
      v128.store(at(p, i), f32x4.sub(pv, f32x4.mul(lrv, d)));
    }
  }
  sgdStepScalar(n, p, g, buf, lr, momentum, dampening, wd, nesterov, first, i);
}

export function sgdStepScalar(
  n: i32, p: usize, g: usize, buf: usize, lr: f32, momentum: f32, dampening: f32, wd: f32, nesterov: bool, first: bool, from: i32,
): void {
  for (let i = from; i < n; i++) {
    const pv = load<f32>(at(p, i));
    let d = load<f32>(at(g, i)) + wd * pv;
    if (buf != 0) {
      const b = first ? d : momentum * load<f32>(at(buf, i)) + (f32(1) - dampening) * d;
      store<f32>(at(buf, i), b);
      d = nesterov ? d + momentum * b : b;
    }
    store<f32>(at(p, i), pv - lr * d);
  }
}

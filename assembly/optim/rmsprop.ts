// RMSprop, as torch.optim.RMSprop (optionally centered, with momentum):
//   g += wd·p;  sq = α·sq + (1 − α)·g²;  [ga = α·ga + (1 − α)·g]
//   avg = √(sq − ga²) + eps (centered) or √sq + eps
//   buf = μ·buf + g/avg, p −= lr·buf (momentum) or p −= lr·g/avg
// ga and buf are null when not centered / without momentum.

import { at } from "../kernels/elementwise";

export function rmspropStep(
  n: i32, p: usize, g: usize, sq: usize, ga: usize, buf: usize, lr: f32, alpha: f32, eps: f32, wd: f32, momentum: f32,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const av = f32x4.splat(alpha);
    const cv = f32x4.splat(f32(1) - alpha);
    const ev = f32x4.splat(eps);
    const lrv = f32x4.splat(lr);
    const wdv = f32x4.splat(wd);
    const mu = f32x4.splat(momentum);
    for (; i + 4 <= n; i += 4) {
      const pv = v128.load(at(p, i));
      const gv = f32x4.add(v128.load(at(g, i)), f32x4.mul(wdv, pv));
      const s = f32x4.add(f32x4.mul(av, v128.load(at(sq, i))), f32x4.mul(cv, f32x4.mul(gv, gv)));
      v128.store(at(sq, i), s);
      let avg: v128;
      if (ga != 0) {
        const a = f32x4.add(f32x4.mul(av, v128.load(at(ga, i))), f32x4.mul(cv, gv));
        v128.store(at(ga, i), a);
        avg = f32x4.add(f32x4.sqrt(f32x4.sub(s, f32x4.mul(a, a))), ev);
      } else {
        avg = f32x4.add(f32x4.sqrt(s), ev);
      }
      let d = f32x4.div(gv, avg);
      if (buf != 0) {
        d = f32x4.add(f32x4.mul(mu, v128.load(at(buf, i))), d);
        v128.store(at(buf, i), d);
      }
      v128.store(at(p, i), f32x4.sub(pv, f32x4.mul(lrv, d)));
    }
  }
  rmspropStepScalar(n, p, g, sq, ga, buf, lr, alpha, eps, wd, momentum, i);
}

export function rmspropStepScalar(
  n: i32, p: usize, g: usize, sq: usize, ga: usize, buf: usize, lr: f32, alpha: f32, eps: f32, wd: f32, momentum: f32, from: i32,
): void {
  for (let i = from; i < n; i++) {
    const pv = load<f32>(at(p, i));
    const gv = load<f32>(at(g, i)) + wd * pv;
    const s = alpha * load<f32>(at(sq, i)) + (f32(1) - alpha) * gv * gv;
    store<f32>(at(sq, i), s);
    let avg: f32;
    if (ga != 0) {
      const a = alpha * load<f32>(at(ga, i)) + (f32(1) - alpha) * gv;
      store<f32>(at(ga, i), a);
      avg = Mathf.sqrt(s - a * a) + eps;
    } else {
      avg = Mathf.sqrt(s) + eps;
    }
    let d = gv / avg;
    if (buf != 0) {
      d = momentum * load<f32>(at(buf, i)) + d;
      store<f32>(at(buf, i), d);
    }
    store<f32>(at(p, i), pv - lr * d);
  }
}

// Adam and AdamW, as torch.optim.Adam / AdamW. Weight decay is L2 on the
// gradient (Adam) or decoupled, p ← p·(1 − lr·wd) (AdamW). bc1 = 1 − β1^t and
// bc2 = 1 − β2^t come from the host, which counts steps:
//   m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²
//   p −= (lr / bc1) · m / (√v / √bc2 + eps)

import { at } from "../kernels/elementwise";

export function adamStep(
  n: i32, p: usize, g: usize, m: usize, v: usize, lr: f32, beta1: f32, beta2: f32, eps: f32, wd: f32, decoupled: bool,
  bc1: f32, bc2: f32,
): void {
  const stepSize = lr / bc1;
  const invSqrtBc2 = f32(1) / Mathf.sqrt(bc2);
  const decay = decoupled ? f32(1) - lr * wd : f32(1);
  const l2 = decoupled ? f32(0) : wd;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const b1 = f32x4.splat(beta1);
    const c1 = f32x4.splat(f32(1) - beta1);
    const b2 = f32x4.splat(beta2);
    const c2 = f32x4.splat(f32(1) - beta2);
    const ev = f32x4.splat(eps);
    const sv = f32x4.splat(stepSize);
    const iv = f32x4.splat(invSqrtBc2);
    const dv = f32x4.splat(decay);
    const lv = f32x4.splat(l2);
    for (; i + 4 <= n; i += 4) {
      const pv = v128.load(at(p, i));
      const gv = f32x4.add(v128.load(at(g, i)), f32x4.mul(lv, pv));
      const mv = f32x4.add(f32x4.mul(b1, v128.load(at(m, i))), f32x4.mul(c1, gv));
      const vv = f32x4.add(f32x4.mul(b2, v128.load(at(v, i))), f32x4.mul(c2, f32x4.mul(gv, gv)));
      v128.store(at(m, i), mv);
      v128.store(at(v, i), vv);
      const denom = f32x4.add(f32x4.mul(f32x4.sqrt(vv), iv), ev);
      v128.store(at(p, i), f32x4.sub(f32x4.mul(pv, dv), f32x4.mul(sv, f32x4.div(mv, denom))));
    }
  }
  adamStepScalar(n, p, g, m, v, beta1, beta2, eps, stepSize, invSqrtBc2, decay, l2, i);
}

export function adamStepScalar(
  n: i32, p: usize, g: usize, m: usize, v: usize, beta1: f32, beta2: f32, eps: f32,
  stepSize: f32, invSqrtBc2: f32, decay: f32, l2: f32, from: i32,
): void {
  for (let i = from; i < n; i++) {
    const pv = load<f32>(at(p, i));
    const gv = load<f32>(at(g, i)) + l2 * pv;
    const mv = beta1 * load<f32>(at(m, i)) + (f32(1) - beta1) * gv;
    const vv = beta2 * load<f32>(at(v, i)) + (f32(1) - beta2) * gv * gv;
    store<f32>(at(m, i), mv);
    store<f32>(at(v, i), vv);
    store<f32>(at(p, i), pv * decay - stepSize * (mv / (Mathf.sqrt(vv) * invSqrtBc2 + eps)));
  }
}

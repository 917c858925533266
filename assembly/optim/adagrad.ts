// Adagrad, as torch.optim.Adagrad: g += wd·p; sum += g²; p −= clr·g/(√sum + eps),
// where the host passes clr = lr / (1 + (t − 1)·lr_decay).

import { at } from "../kernels/elementwise";

export function adagradStep(n: i32, p: usize, g: usize, sum: usize, clr: f32, eps: f32, wd: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lv = f32x4.splat(clr);
    const ev = f32x4.splat(eps);
    const wdv = f32x4.splat(wd);
    for (; i + 4 <= n; i += 4) {
      const pv = v128.load(at(p, i));
      const gv = f32x4.add(v128.load(at(g, i)), f32x4.mul(wdv, pv));
      const s = f32x4.add(v128.load(at(sum, i)), f32x4.mul(gv, gv));
      v128.store(at(sum, i), s);
      v128.store(at(p, i), f32x4.sub(pv, f32x4.mul(lv, f32x4.div(gv, f32x4.add(f32x4.sqrt(s), ev)))));
    }
  }
  adagradStepScalar(n, p, g, sum, clr, eps, wd, i);
}

export function adagradStepScalar(n: i32, p: usize, g: usize, sum: usize, clr: f32, eps: f32, wd: f32, from: i32): void {
  for (let i = from; i < n; i++) {
    const pv = load<f32>(at(p, i));
    const gv = load<f32>(at(g, i)) + wd * pv;
    const s = load<f32>(at(sum, i)) + gv * gv;
    store<f32>(at(sum, i), s);
    store<f32>(at(p, i), pv - clr * (gv / (Mathf.sqrt(s) + eps)));
  }
}

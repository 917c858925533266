// Losses that return their sum and write the gradient of scale·sum (softmax
// cross-entropy lives with softmax).

import { at } from "./elementwise";
import { sigmoidf } from "./math";

/**
 * Binary cross-entropy on logits x against targets t in [0, 1], computed
 * stably as max(x, 0) − x·t + log(1 + e^−|x|). grad (nullable) ← scale·(σ(x) − t).
 */
export function bceWithLogits(n: i32, x: usize, t: usize, grad: usize, scale: f32): f64 {
  let loss: f64 = 0;
  for (let i = 0; i < n; i++) {
    const xv = load<f32>(at(x, i));
    const tv = load<f32>(at(t, i));
    loss += <f64>(max<f32>(xv, 0) - xv * tv + Mathf.log(f32(1) + Mathf.exp(-Mathf.abs(xv))));
    if (grad != 0) store<f32>(at(grad, i), scale * (sigmoidf(xv) - tv));
  }
  return loss;
}

/** Σ (y − t)²; grad (nullable) ← 2·scale·(y − t). */
export function squaredError(n: i32, y: usize, t: usize, grad: usize, scale: f32): f64 {
  let loss: f64 = 0;
  const s2 = scale + scale;
  for (let i = 0; i < n; i++) {
    const d = load<f32>(at(y, i)) - load<f32>(at(t, i));
    loss += <f64>d * <f64>d;
    if (grad != 0) store<f32>(at(grad, i), s2 * d);
  }
  return loss;
}

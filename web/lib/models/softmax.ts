// Softmax and log-softmax of a row of logits on the host, in float64 and
// shifted by the row's maximum: the probabilities a prediction reports and
// the scores beam search adds up.

/** The row's largest logit, which both subtract so that exp never overflows. */
function rowMax(logits: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i]);
  return m;
}

export function softmax(logits: ArrayLike<number>): number[] {
  const m = rowMax(logits);
  const e = Array.from(logits, (v) => Math.exp(v - m));
  const s = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / s);
}

export function logSoftmax(logits: ArrayLike<number>): Float64Array {
  const m = rowMax(logits);
  let s = 0;
  for (let i = 0; i < logits.length; i++) s += Math.exp(logits[i] - m);
  const lse = m + Math.log(s);
  return Float64Array.from(logits, (v) => v - lse);
}

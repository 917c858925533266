// Choosing the next token from logits: greedy, or sampling with a
// temperature (below 1 sharper, above 1 flatter) among the top k.

import { GatedError } from "../errors.ts";
import type { Random } from "../util/random.ts";
import { BOS, PAD, UNK } from "../text/vocab.ts";

export interface SamplingOptions {
  /** 0 picks the most likely token; otherwise logits are divided by it. Default 1. */
  temperature?: number;
  /** Sample only among the k most likely tokens (default: all). */
  topK?: number;
}

export function checkSampling({ temperature = 1, topK }: SamplingOptions): void {
  if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new GatedError(`temperature must be a number ≥ 0, got ${temperature}`);
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) throw new GatedError(`topK must be a positive integer, got ${topK}`);
}

/** The tokens a draw chooses among (all, or the k likeliest) and their unnormalised weights at the temperature; at temperature 0, the likeliest alone. */
function candidates(logits: ArrayLike<number>, { temperature = 1, topK }: SamplingOptions): { order: number[]; weights: number[] } {
  const n = logits.length;
  let order = Array.from({ length: n }, (_, i) => i);
  if (temperature === 0) return { order: [order.reduce((best, i) => (logits[i] > logits[best] ? i : best), 0)], weights: [1] };
  if (topK !== undefined && topK < n) order = order.sort((a, b) => logits[b] - logits[a]).slice(0, topK);
  const m = Math.max(...order.map((i) => logits[i]));
  return { order, weights: order.map((i) => Math.exp((logits[i] - m) / temperature)) };
}

/** The distribution a token is drawn from at these settings (0 outside the top k; at temperature 0, all on the likeliest): what a page shows of a step. */
export function samplingDistribution(logits: ArrayLike<number>, sampling: SamplingOptions = {}): number[] {
  const { order, weights } = candidates(logits, sampling);
  const total = weights.reduce((a, w) => a + w, 0);
  const p = new Array<number>(logits.length).fill(0);
  order.forEach((i, k) => (p[i] = weights[k] / total));
  return p;
}

export function sampleToken(logits: ArrayLike<number>, rng: Random, sampling: SamplingOptions = {}): number {
  const { order, weights } = candidates(logits, sampling);
  if (sampling.temperature === 0) return order[0];
  let u = rng.next() * weights.reduce((a, w) => a + w, 0);
  for (let k = 0; k < order.length; k++) {
    u -= weights[k];
    if (u <= 0) return order[k];
  }
  return order[order.length - 1];
}

/**
 * The logits a generated text is drawn from: padding, the unknown token and
 * the start token are never a next token (a model can still give the unknown
 * token weight when training texts held rare characters).
 */
export function drawable(logits: ArrayLike<number>): Float32Array {
  const row = Float32Array.from(logits);
  row[PAD] = row[UNK] = row[BOS] = -Infinity;
  return row;
}

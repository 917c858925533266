// Minibatches: seeded shuffling, and bucketing by length (examples sorted by
// length within shuffled windows of several batches) so that batches hold
// sequences of similar length and little padding; batch order is shuffled.

import { Random } from "../util/random.ts";

export function shuffle<T>(items: readonly T[], rng: Random): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export function makeBatches<T>(items: readonly T[], batchSize: number, rng: Random, length?: (item: T) => number, window = 20): T[][] {
  let order = shuffle(items, rng);
  if (length) {
    const sorted: T[] = [];
    for (let i = 0; i < order.length; i += batchSize * window) {
      sorted.push(...order.slice(i, i + batchSize * window).sort((a, b) => length(a) - length(b)));
    }
    order = sorted;
  }
  const batches: T[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return shuffle(batches, rng);
}

/** Seeded split into training and validation parts (validation: a fraction of the items, at least one). */
export function split<T>(items: readonly T[], fraction: number, seed: number): { train: T[]; validation: T[] } {
  const order = shuffle(items, new Random(seed));
  const n = fraction > 0 ? Math.max(1, Math.round(items.length * fraction)) : 0;
  return { validation: order.slice(0, n), train: order.slice(n) };
}

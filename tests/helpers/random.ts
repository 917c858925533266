import { Random } from "../../web/lib/util/random.ts";

/** Seeded normal values scaled by s, as a plain array. */
export function randn(rng: Random, n: number, s = 1): number[] {
  return Array.from({ length: n }, () => rng.normal() * s);
}

// Timing repeated calls: medians with min and max, after a warm-up.

export interface Timing {
  /** Seconds per call. */
  median: number;
  min: number;
  max: number;
  reps: number;
}

export function summarize(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1], reps: s.length };
}

/** Seconds one call of fn takes. */
export async function timeOnce(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

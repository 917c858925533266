// Sequence metrics for translation: exact match and corpus BLEU-4 (Papineni
// et al. 2002: geometric mean of clipped 1- to 4-gram precisions times a
// brevity penalty), with add-one smoothing of the higher orders so short
// corpora do not collapse to zero.

export function exactMatch(hypotheses: readonly (readonly string[])[], references: readonly (readonly string[])[]): number {
  if (hypotheses.length === 0) return 0;
  let same = 0;
  hypotheses.forEach((h, i) => {
    if (h.length === references[i].length && h.every((t, j) => t === references[i][j])) same++;
  });
  return same / hypotheses.length;
}

function ngrams(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join("\u0000");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function bleu(hypotheses: readonly (readonly string[])[], references: readonly (readonly string[])[], maxN = 4): number {
  let hypLength = 0;
  let refLength = 0;
  const matches = new Array<number>(maxN).fill(0);
  const totals = new Array<number>(maxN).fill(0);
  hypotheses.forEach((h, i) => {
    const r = references[i];
    hypLength += h.length;
    refLength += r.length;
    for (let n = 1; n <= maxN; n++) {
      const hc = ngrams(h, n);
      const rc = ngrams(r, n);
      for (const [g, c] of hc) matches[n - 1] += Math.min(c, rc.get(g) ?? 0);
      totals[n - 1] += Math.max(0, h.length - n + 1);
    }
  });
  if (hypLength === 0) return 0;
  let logPrecision = 0;
  for (let n = 0; n < maxN; n++) {
    const smooth = n === 0 ? 0 : 1;
    if (matches[n] + smooth === 0) return 0;
    logPrecision += Math.log((matches[n] + smooth) / (totals[n] + smooth)) / maxN;
  }
  const brevity = hypLength >= refLength ? 1 : Math.exp(1 - refLength / hypLength);
  return brevity * Math.exp(logPrecision);
}

// JS twin of assembly/kernels/probe.ts: twelve scalar chains of multiplies or
// adds, the peak of plain JavaScript arithmetic here (no fused kind).

export function peakProbe(iterations: number, kind: number): number {
  const m = kind === 1 ? 1e-7 : 0.9999999;
  let a0 = 0.1, a1 = 0.2, a2 = 0.3, a3 = 0.4, a4 = 0.5, a5 = 0.6, a6 = 0.7, a7 = 0.8, a8 = 0.9, a9 = 1.0, a10 = 1.1, a11 = 1.2;
  for (let i = 0; i < iterations; i++) {
    if (kind === 1) {
      a0 += m; a1 += m; a2 += m; a3 += m; a4 += m; a5 += m; a6 += m; a7 += m; a8 += m; a9 += m; a10 += m; a11 += m;
    } else {
      a0 *= m; a1 *= m; a2 *= m; a3 *= m; a4 *= m; a5 *= m; a6 *= m; a7 *= m; a8 *= m; a9 *= m; a10 *= m; a11 *= m;
    }
  }
  return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
}

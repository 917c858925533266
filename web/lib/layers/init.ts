// Weight initialisation, seeded: PyTorch's defaults, Glorot/Xavier uniform,
// and orthogonal matrices (Saxe et al. 2014) for recurrent weights.

import type { Random } from "../util/random.ts";

export function uniform(rng: Random, n: number, bound: number): Float64Array {
  return Float64Array.from({ length: n }, () => rng.uniform(-bound, bound));
}

/** Glorot/Xavier uniform for a rows×cols matrix: ±√(6 / (rows + cols)). */
export function xavierUniform(rng: Random, rows: number, cols: number): Float64Array {
  return uniform(rng, rows * cols, Math.sqrt(6 / (rows + cols)));
}

/**
 * A rows×cols matrix with orthonormal rows (rows ≤ cols) or columns: Gram–
 * Schmidt (twice, for stability) over Gaussian vectors.
 */
export function orthogonal(rng: Random, rows: number, cols: number): Float64Array {
  const tall = rows > cols;
  const [n, m] = tall ? [cols, rows] : [rows, cols]; // n orthonormal vectors of length m
  const v = Array.from({ length: n }, () => Float64Array.from({ length: m }, () => rng.normal()));
  for (let i = 0; i < n; i++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let k = 0; k < m; k++) dot += v[i][k] * v[j][k];
        for (let k = 0; k < m; k++) v[i][k] -= dot * v[j][k];
      }
    }
    let norm = 0;
    for (let k = 0; k < m; k++) norm += v[i][k] * v[i][k];
    norm = Math.sqrt(norm);
    for (let k = 0; k < m; k++) v[i][k] /= norm;
  }
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = tall ? v[c][r] : v[r][c];
  return out;
}

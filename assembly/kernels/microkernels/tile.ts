// What every GEMM microkernel shares. A microkernel adds the product of an
// MR×kc block of A and one packed panel of B (kc rows of NR floats, k-major,
// zero-padded; see pack.ts) into an MR×nr tile of C:
//
//   (kc, a, rsa, csa, bp, c, ldc, nr)
//   element (i, k) of A at a + 4·(i·rsa + k·csa); row i of C at c + 4·i·ldc;
//   only C's first nr ≤ NR columns are read or written.

/** Columns of a packed panel of B, and of a microkernel's tile. */
export const NR: i32 = 8;

/** Adds two four-lane sums (columns 0–3, 4–7) into C's row at c, of which only nr columns exist. */
@inline export function addRow(c: usize, lo: v128, hi: v128, nr: i32): void {
  if (nr == NR) {
    v128.store(c, f32x4.add(v128.load(c), lo));
    v128.store(c, f32x4.add(v128.load(c, 16), hi), 16);
    return;
  }
  if (nr > 0) store<f32>(c, load<f32>(c) + f32x4.extract_lane(lo, 0));
  if (nr > 1) store<f32>(c, load<f32>(c, 4) + f32x4.extract_lane(lo, 1), 4);
  if (nr > 2) store<f32>(c, load<f32>(c, 8) + f32x4.extract_lane(lo, 2), 8);
  if (nr > 3) store<f32>(c, load<f32>(c, 12) + f32x4.extract_lane(lo, 3), 12);
  if (nr > 4) store<f32>(c, load<f32>(c, 16) + f32x4.extract_lane(hi, 0), 16);
  if (nr > 5) store<f32>(c, load<f32>(c, 20) + f32x4.extract_lane(hi, 1), 20);
  if (nr > 6) store<f32>(c, load<f32>(c, 24) + f32x4.extract_lane(hi, 2), 24);
}

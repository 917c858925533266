import { dropoutMask } from "../../assembly/kernels/random";
import { alloc, get } from "./helpers";

describe("dropoutMask", () => {
  it("drops about p of the entries, scales the rest by 1/(1 − p), and advances its state", () => {
    const n = 20000;
    const state = heap.alloc(4);
    store<u32>(state, 2463534242);
    const mask = alloc(n);
    dropoutMask(n, state, mask, 0.3);
    let dropped = 0;
    let other = 0;
    for (let i = 0; i < n; i++) {
      const m = get(mask, i);
      if (m == 0) dropped++;
      else if (Mathf.abs(m - <f32>(1 / 0.7)) > 1e-6) other++;
    }
    expect(other).toBe(0);
    expect(Math.abs(<f64>dropped / n - 0.3)).toBeLessThan(0.015);
    const first = get(mask, 0);
    const s1 = load<u32>(state);
    expect(s1).not.toBe(2463534242);
    dropoutMask(n, state, mask, 0.3);
    expect(load<u32>(state)).not.toBe(s1);
    // p = 0 keeps everything at exactly 1
    dropoutMask(16, state, mask, 0);
    for (let i = 0; i < 16; i++) expect(get(mask, i)).toBe(<f32>1);
    expect(first == 0 || first > 1).toBe(true);
  });
});

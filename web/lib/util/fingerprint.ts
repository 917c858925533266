// A short digest of plain data (numbers, strings, arrays, typed arrays,
// objects), so a checkpoint can tell whether it is being resumed on the data
// it was trained on. Two FNV-1a streams over a structural walk; not
// cryptographic — it catches mistakes, not forgeries.

export function fingerprint(value: unknown): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const mix = (x: number) => {
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul(b ^ x, 0x5bd1e995) ^ (b >>> 15);
  };
  const number = (n: number) => {
    if (Number.isInteger(n) && Math.abs(n) < 2 ** 31) mix(n | 0);
    else for (const c of String(n)) mix(c.charCodeAt(0));
  };
  const walk = (v: unknown): void => {
    if (typeof v === "number") number(v);
    else if (typeof v === "string") {
      mix(v.length);
      for (let i = 0; i < v.length; i++) mix(v.charCodeAt(i));
    } else if (typeof v === "boolean") mix(v ? 3 : 2);
    else if (v === null || v === undefined) mix(1);
    else if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      const items = v as ArrayLike<unknown>;
      mix(0x5b);
      mix(items.length);
      for (let i = 0; i < items.length; i++) walk(items[i]);
    } else if (typeof v === "object") {
      mix(0x7b);
      for (const [k, x] of Object.entries(v as object)) {
        walk(k);
        walk(x);
      }
    }
  };
  walk(value);
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

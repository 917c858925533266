// The generic GEMM microkernel tester: every microkernel in
// assembly/kernels/microkernels/, compiled as the engine is (scalar, Wasm SIMD,
// relaxed SIMD with fused multiply-add), run on odd tiles: every column count
// 1…its width (a kernel wider than a panel reads several, a stride apart), k from 1 past the driver's k-block, A row- and column-major and
// strided, C with a leading dimension wider than the tile and values already
// in it. Each result is checked against float64 within the error bound of
// float32 summation, and nothing outside the tile may change. The unfused SIMD
// kernels must equal their scalar references bit for bit (same order of
// operations); the fused ones may differ only within the bound.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import asc from "assemblyscript/asc";
import { beforeAll, describe, expect, it } from "vitest";
import { Random } from "../../web/lib/util/random.ts";

// Node 20 validates relaxed SIMD only behind this flag; the engine picks it up the same way in browsers that ship it.
setFlagsFromString("--experimental-wasm-relaxed-simd");

const NR = 8;
const BUILDS = [
  { name: "scalar", entry: "tests/microkernels/scalar.ts", features: [] as string[] },
  { name: "simd", entry: "tests/microkernels/wasmsimd.ts", features: ["simd"] },
  { name: "relaxed", entry: "tests/microkernels/wasmsimd.ts", features: ["simd", "relaxed-simd"] },
];
const KCS = [1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 64, 255, 256, 300];
const PAGES = 64;

/** (kc, a, rsa, csa, bp, c, ldc, nr); a kernel wider than one panel takes the panels' stride after bp. */
type Microkernel = (...args: number[]) => void;
interface Entry {
  build: string;
  name: string;
  mr: number;
  /** Columns of its tile: NR per panel it reads. */
  width: number;
  fn: Microkernel;
  memory: WebAssembly.Memory;
}

/** Compiles an entry with the engine's options (asconfig.json) and the given features. */
async function compile(entry: string, features: string[]): Promise<WebAssembly.Module> {
  const out = join(mkdtempSync(join(tmpdir(), "gated-ukernels-")), "m.wasm");
  const o = JSON.parse(readFileSync("asconfig.json", "utf8")).options;
  const args = [entry, "--optimizeLevel", String(o.optimizeLevel), "--shrinkLevel", String(o.shrinkLevel), "--runtime", o.runtime, "--importMemory", "--initialMemory", "1", "--maximumMemory", String(o.maximumMemory), "-o", out];
  if (o.noAssert) args.push("--noAssert");
  if (o.converge) args.push("--converge");
  if (features.length) args.push("--enable", features.join(","));
  const { error, stderr } = await asc.main(args);
  if (error) throw new Error(`${entry} (${features.join(",") || "scalar"}): ${stderr.toString()}`);
  return WebAssembly.compile(readFileSync(out));
}

const entries: Entry[] = [];
beforeAll(async () => {
  for (const b of BUILDS) {
    const memory = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES });
    const instance = await WebAssembly.instantiate(await compile(b.entry, b.features), { env: { memory } });
    for (const [name, fn] of Object.entries(instance.exports)) {
      const m = /^f32_gemm_(\d+)x(\d+)_\w+$/.exec(name);
      if (!m || typeof fn !== "function") continue;
      expect(Number(m[2]) % NR, `${name}: a whole number of panels`).toBe(0);
      entries.push({ build: b.name, name, mr: Number(m[1]), width: Number(m[2]), fn: fn as Microkernel, memory });
    }
  }
}, 120_000);

/** One tile's operands laid out in a fresh region of memory: A at given strides, packed B panels a stride apart, C inside a guarded block. */
function layout(mr: number, width: number, kc: number, nr: number, aLayout: "rows" | "columns" | "strided", seed: number) {
  const rng = new Random(seed);
  const [rsa, csa] = aLayout === "rows" ? [kc + 3, 1] : aLayout === "columns" ? [1, mr + 2] : [2 * kc + 1, 2];
  const aFloats = (mr - 1) * rsa + (kc - 1) * csa + 1;
  const ldc = nr + 5;
  const cFloats = (mr + 2) * ldc; // one guard row above and below the tile
  const panels = width / NR;
  const ps = kc * NR + 3; // panels further apart than kc rows, as in a k-block of a longer packed operand
  const floats = aFloats + panels * ps + cFloats;
  const values = Float32Array.from({ length: floats }, () => rng.normal());
  // Columns past nr are zero padding, as packB leaves them.
  const bp = aFloats;
  const b = (k: number, j: number) => bp + Math.floor(j / NR) * ps + k * NR + (j % NR);
  for (let k = 0; k < kc; k++) for (let j = nr; j < width; j++) values[b(k, j)] = 0;
  return { rsa, csa, ldc, ps, values, a: 0, bp, b, c: aFloats + panels * ps + ldc };
}

/** Runs one microkernel on a layout and returns the memory it leaves (as floats, from offset 0). */
function run(e: Entry, l: ReturnType<typeof layout>, kc: number, nr: number): Float32Array {
  const base = 1024; // away from address 0
  const F = new Float32Array(e.memory.buffer, base, l.values.length);
  F.set(l.values);
  const panels = e.width > NR ? [l.ps] : [];
  e.fn(kc, base + 4 * l.a, l.rsa, l.csa, base + 4 * l.bp, ...panels, base + 4 * l.c, l.ldc, nr);
  return Float32Array.from(F);
}

function cases(mr: number, width: number): { kc: number; nr: number; aLayout: "rows" | "columns" | "strided"; seed: number }[] {
  const out = [];
  let seed = 1;
  for (const kc of KCS) for (let nr = 1; nr <= width; nr++) for (const aLayout of ["rows", "columns", "strided"] as const) out.push({ kc, nr, aLayout, seed: seed++ * 7 + mr });
  return out;
}

describe("GEMM microkernels", () => {
  it("every build compiles and exports its microkernels (scalar, Wasm SIMD, fused relaxed SIMD), each tile 4×8, 1×8 and 1×24", () => {
    expect(entries.map((e) => `${e.build}:${e.name}`).sort()).toEqual([
      "relaxed:f32_gemm_1x24_wasmsimd", "relaxed:f32_gemm_1x8_wasmsimd", "relaxed:f32_gemm_4x8_wasmsimd", "scalar:f32_gemm_1x24_scalar", "scalar:f32_gemm_1x8_scalar",
      "scalar:f32_gemm_4x8_scalar", "simd:f32_gemm_1x24_wasmsimd", "simd:f32_gemm_1x8_wasmsimd", "simd:f32_gemm_4x8_wasmsimd",
    ]);
  });

  it("each adds A·B into its tile of C within float32's summation bound, touching nothing else", () => {
    for (const e of entries) {
      for (const { kc, nr, aLayout, seed } of cases(e.mr, e.width)) {
        const l = layout(e.mr, e.width, kc, nr, aLayout, seed);
        const got = run(e, l, kc, nr);
        const v = l.values;
        const where = `${e.build} ${e.name} kc=${kc} nr=${nr} A ${aLayout}`;
        let worst = 0;
        let changedOutside = 0;
        for (let idx = 0; idx < v.length; idx++) {
          const r = idx - l.c;
          const i = Math.floor(r / l.ldc);
          const j = r - i * l.ldc;
          const inTile = r >= 0 && i < e.mr && j < nr;
          if (!inTile) {
            if (!Object.is(got[idx], v[idx])) changedOutside++;
            continue;
          }
          let s = v[idx];
          let mag = Math.abs(s);
          for (let k = 0; k < kc; k++) {
            const p = v[l.a + i * l.rsa + k * l.csa] * v[l.b(k, j)];
            s += p;
            mag += Math.abs(p);
          }
          // Recursive float32 summation of kc + 1 terms: |error| ≤ (kc + 1)·u·Σ|terms| + one rounding of the result.
          const bound = ((kc + 2) * 2 ** -24) * mag;
          worst = Math.max(worst, Math.abs(got[idx] - s) / bound);
        }
        expect(changedOutside, `${where}: floats changed outside the tile`).toBe(0);
        expect(worst, where).toBeLessThanOrEqual(1);
      }
    }
  });

  it("the unfused SIMD kernels equal their scalar references bit for bit; the fused ones differ from them somewhere", () => {
    const scalar = (e: Entry) => entries.find((x) => x.build === "scalar" && x.mr === e.mr && x.width === e.width)!;
    for (const build of ["simd", "relaxed"]) {
      for (const e of entries.filter((x) => x.build === build)) {
        let differing = 0;
        for (const { kc, nr, aLayout, seed } of cases(e.mr, e.width)) {
          const l = layout(e.mr, e.width, kc, nr, aLayout, seed);
          const got = run(e, l, kc, nr);
          const want = run(scalar(e), l, kc, nr);
          for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) differing++;
        }
        if (build === "simd") expect(differing, e.name).toBe(0);
        else expect(differing, `${e.name} (relaxed): a fused kernel rounds once per multiply-add`).toBeGreaterThan(0);
      }
    }
  });
});

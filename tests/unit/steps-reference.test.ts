// What the lessons show, checked against PyTorch on every backend
// (tests/fixtures/generate_torch_steps.py unrolls torch cells with
// retain_grad() on every h_t): the gates of every step (LSTM i, f, g, o, c;
// GRU r, z, n; h for every kind) from keepGates, and each step's total
// dL/dh_t from stepGradients — 1 and 2 layers, bidirectional, with lengths.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BACKENDS, createEngine, type RecurrentKind } from "../../web/lib/index.ts";
import { expectClose, TORCH_F32 } from "../helpers/compare.ts";

interface Flat {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  kind: RecurrentKind;
  options: { inputSize: number; hiddenSize: number };
  weights: Record<string, Flat>;
  x: Flat;
  lengths: number[] | null;
  gradOutput: Flat;
  gradHN: Flat | null;
  gates: Record<string, Record<string, Flat>>;
  gradSteps: Record<string, Record<string, Flat>>;
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/torch-steps.json", import.meta.url), "utf8")) as { cases: Case[] };

describe("the fixtures", () => {
  it("cover every cell kind, one and two layers, bidirectional, and lengths", () => {
    const names = fixture.cases.map((c) => c.name);
    for (const kind of ["rnn", "lstm", "gru"]) {
      expect(names.some((n) => n.startsWith(kind) && !n.includes("2layer"))).toBe(true);
      expect(names.some((n) => n.startsWith(kind) && n.includes("2layer_bidir_lengths"))).toBe(true);
    }
  });
});

describe.each(BACKENDS)("%s: gates and step gradients match PyTorch", (backend) => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const engine = await createEngine({ backend, seed: 3 });
    const layer = engine[c.kind](c.options);
    layer.loadStateDict(c.weights);
    const f = layer.forward(c.x, { lengths: c.lengths ?? undefined, keepGates: true });
    expect(Object.keys(f.gates!).sort()).toEqual(Object.keys(c.gates).sort());
    for (const [key, gates] of Object.entries(c.gates)) {
      expect(Object.keys(f.gates![key]).sort(), key).toEqual(Object.keys(gates).sort());
      for (const [name, ref] of Object.entries(gates)) {
        expect(f.gates![key][name].shape, `${key}.${name}`).toEqual(ref.shape);
        expectClose(f.gates![key][name].data, ref.data, TORCH_F32, `${key}.${name}`);
      }
    }
    const b = layer.backward({ gradOutput: c.gradOutput, gradHN: c.gradHN ?? undefined }, { stepGradients: true });
    for (const [key, ref] of Object.entries(c.gradSteps)) {
      expect(b.gradSteps![key].h.shape, key).toEqual(ref.h.shape);
      expectClose(b.gradSteps![key].h.data, ref.h.data, TORCH_F32, `${key} dL/dh`);
    }
  });

  it("asks nothing extra when not asked: no gates, no step gradients", async () => {
    const engine = await createEngine({ backend, seed: 3 });
    const lstm = engine.lstm({ inputSize: 2, hiddenSize: 3 });
    const f = lstm.forward({ shape: [2, 1, 2], data: [1, 2, 3, 4] });
    expect(f.gates).toBeUndefined();
    expect(lstm.backward({ gradOutput: { shape: [2, 1, 3], data: [1, 1, 1, 1, 1, 1] } }).gradSteps).toBeUndefined();
    expect(() => lstm.stepGradients()).toThrow(/call backward\(\) with stepGradients: true first/);
  });
});

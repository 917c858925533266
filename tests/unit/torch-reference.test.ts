// Every backend against PyTorch reference values (tests/fixtures/generate_torch.py):
// outputs, final states, and the gradients of inputs, initial states and weights.

import { describe, expect, it } from "vitest";
import { BACKENDS, createEngine } from "../../web/lib/index.ts";
import { expectClose, TORCH_F32 } from "../helpers/compare.ts";
import { torchCases } from "../helpers/fixtures.ts";

const cases = torchCases();

describe.each(BACKENDS)("%s matches PyTorch", (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const engine = await createEngine({ backend, seed: 7 });
    const layer = engine[c.kind](c.options);
    layer.loadStateDict(c.stateDict);
    const f = layer.forward(c.x, { h0: c.h0, c0: c.c0, lengths: c.lengths ?? undefined });
    expect(f.output.shape).toEqual(c.output.shape);
    expectClose(f.output.data, c.output.data, TORCH_F32, "output");
    expect(f.hN.shape).toEqual(c.hN.shape);
    expectClose(f.hN.data, c.hN.data, TORCH_F32, "hN");
    if (c.cN) expectClose(f.cN!.data, c.cN.data, TORCH_F32, "cN");

    const b = layer.backward({ gradOutput: c.gradOutput, gradHN: c.gradHN, gradCN: c.gradCN });
    expect(b.gradX.shape).toEqual(c.gradX.shape);
    expectClose(b.gradX.data, c.gradX.data, TORCH_F32, "gradX");
    if (c.gradH0) expectClose(b.gradH0.data, c.gradH0.data, TORCH_F32, "gradH0");
    if (c.gradC0) expectClose(b.gradC0!.data, c.gradC0.data, TORCH_F32, "gradC0");
    expect(Object.keys(b.grads).sort()).toEqual(Object.keys(c.grads).sort());
    for (const [name, g] of Object.entries(c.grads)) {
      expect(b.grads[name].shape, name).toEqual(g.shape);
      expectClose(b.grads[name].data, g.data, TORCH_F32, `grad ${name}`);
    }
  });
});

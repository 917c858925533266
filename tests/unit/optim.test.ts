// Optimizers and gradient clipping on every backend against torch.optim and
// torch.nn.utils trajectories (tests/fixtures/generate_torch_optim.py).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BACKENDS, createEngine, type OptimizerKind, type OptimizerOptions, type Parameter } from "../../web/lib/index.ts";
import { expectClose, TORCH_F32 } from "../helpers/compare.ts";

interface OptimCase {
  name: string;
  kind: OptimizerKind;
  options: OptimizerOptions;
  init: number[];
  grads: number[][];
  trajectory: number[][];
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/torch-optim.json", import.meta.url), "utf8"));
const cases: OptimCase[] = fixture.optimizers;
const clip = fixture.clipping;

describe.each(BACKENDS)("optimizers on %s match torch.optim", (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const engine = await createEngine({ backend });
    const p = engine.parameter("p", [c.init.length]);
    p.set({ shape: [c.init.length], data: c.init });
    const opt = engine.optimizer(c.kind, [p], c.options);
    c.grads.forEach((g, step) => {
      p.setGradient({ shape: [g.length], data: g });
      opt.step();
      expectClose(p.values().data, c.trajectory[step], TORCH_F32, `step ${step + 1}`);
    });
    expect(opt.stepCount).toBe(c.grads.length);
  });
});

describe.each(BACKENDS)("gradient clipping on %s matches torch.nn.utils", (backend) => {
  async function setup() {
    const engine = await createEngine({ backend });
    const params: Parameter[] = clip.shapes.map((shape: number[], i: number) => {
      const p = engine.parameter(`p${i}`, shape);
      p.setGradient({ shape, data: clip.grads[i] });
      return p;
    });
    return { engine, params };
  }

  it("clipGradNorm returns the norm before clipping and rescales to maxNorm", async () => {
    const { engine, params } = await setup();
    const norm = engine.clipGradNorm(params, clip.maxNorm);
    expect(Math.abs(norm - clip.norm)).toBeLessThan(1e-5 * clip.norm);
    params.forEach((p, i) => expectClose(p.gradient().data, clip.clippedByNorm[i], TORCH_F32, p.name));
  });

  it("clipGradValue clamps every entry", async () => {
    const { engine, params } = await setup();
    engine.clipGradValue(params, clip.clipValue);
    params.forEach((p, i) => expectClose(p.gradient().data, clip.clippedByValue[i], TORCH_F32, p.name));
  });
});

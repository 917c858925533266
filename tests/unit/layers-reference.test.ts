// The model layers and losses on every backend against PyTorch reference
// values (tests/fixtures/generate_torch_layers.py): outputs, input gradients
// and parameter gradients.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BACKENDS, createEngine, DeviceTensor, type Engine } from "../../web/lib/index.ts";
import { expectClose, TORCH_F32 } from "../helpers/compare.ts";
import type { Flat } from "../helpers/fixtures.ts";

interface LayerCase {
  name: string;
  layer: "linear" | "embedding" | "pool" | "merge" | "attention";
  options: Record<string, unknown>;
  x?: Flat;
  q?: Flat;
  k?: Flat;
  ids?: number[];
  lengths?: number[];
  params: Record<string, Flat>;
  gout: Flat[];
  out: Flat[];
  dx: Flat[];
  grads: Record<string, Flat>;
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/torch-layers.json", import.meta.url), "utf8"));
const cases: LayerCase[] = fixture.cases;

function put(engine: Engine, t: Flat): DeviceTensor {
  const ptr = engine.arena.alloc(t.data.length * 4);
  engine.heap.f.set(t.data, ptr >> 2);
  return new DeviceTensor(engine, ptr, t.shape);
}

function ints(engine: Engine, values: number[]): number {
  const ptr = engine.arena.alloc(values.length * 4);
  engine.heap.i32.set(values, ptr >> 2);
  return ptr;
}

/** Runs a case's layer forward and backward; returns outputs, input gradients and the layer. */
function run(engine: Engine, c: LayerCase) {
  const o = c.options as never;
  const gout = put(engine, c.gout[0]).ptr;
  switch (c.layer) {
    case "linear": {
      const fc = engine.linear(o);
      fc.loadStateDict(c.params);
      const x = put(engine, c.x!);
      const y = fc.forward(x.ptr, x.shape[0]);
      return { module: fc, out: [y], dx: [fc.backward(gout)!] };
    }
    case "embedding": {
      const emb = engine.embedding(o);
      emb.loadStateDict(c.params);
      const y = emb.forward(ints(engine, c.ids!), c.ids!.length);
      emb.backward(gout);
      return { module: emb, out: [y], dx: [] };
    }
    case "pool": {
      const pool = engine.pool((c.options as { mode: "mean" | "max" }).mode);
      const y = pool.forward(put(engine, c.x!), ints(engine, c.lengths!));
      return { module: pool, out: [y], dx: [pool.backward(gout)] };
    }
    case "merge": {
      const merge = engine.merge((c.options as { mode: "sum" }).mode);
      const x = put(engine, c.x!);
      const y = merge.forward(x);
      return { module: merge, out: [y], dx: [new DeviceTensor(engine, merge.backward(gout), x.shape)] };
    }
    case "attention": {
      const att = engine.attention(o);
      att.loadStateDict(c.params);
      const r = att.forward(put(engine, c.q!), put(engine, c.k!), ints(engine, c.lengths!));
      const out = [r.context, r.weights].map((t) => t.read());
      const g = att.backward(gout);
      return { module: att, out, dx: [g.dq, g.dk] };
    }
  }
}

describe.each(BACKENDS)("layers on %s match PyTorch", (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const engine = await createEngine({ backend, seed: 3 });
    const r = run(engine, c);
    expect(r.out.length).toBe(c.out.length);
    r.out.forEach((t, i) => {
      expect(t.shape).toEqual(c.out[i].shape);
      expectClose(t.data, c.out[i].data, TORCH_F32, `output ${i}`);
    });
    r.dx.forEach((t, i) => expectClose(t.data, c.dx[i].data, TORCH_F32, `input gradient ${i}`));
    const grads = Object.fromEntries(r.module.namedParameters().map(([n, p]) => [n, p.gradient().data]));
    expect(Object.keys(grads).sort()).toEqual(Object.keys(c.grads).sort());
    for (const [name, g] of Object.entries(c.grads)) expectClose(grads[name], g.data, TORCH_F32, `grad ${name}`);
  });

  it("losses: cross-entropy with ignored rows, BCE on logits, MSE", async () => {
    const engine = await createEngine({ backend });
    const losses = engine.losses();
    const { crossEntropy: ce, bceWithLogits: bce, meanSquaredError: mse } = fixture.losses;
    const rce = losses.crossEntropy(put(engine, ce.logits), ce.targets, ce.ignoreIndex);
    expect(rce.count).toBe(4);
    expect(Math.abs(rce.loss - ce.loss)).toBeLessThan(1e-5 * Math.abs(ce.loss) + 1e-6);
    expectClose(rce.grad.data, ce.grad.data, TORCH_F32, "cross-entropy gradient");
    const rb = losses.bceWithLogits(put(engine, bce.logits), bce.targets.data);
    expect(Math.abs(rb.loss - bce.loss)).toBeLessThan(1e-5 * Math.abs(bce.loss) + 1e-6);
    expectClose(rb.grad.data, bce.grad.data, TORCH_F32, "BCE gradient");
    const rm = losses.meanSquaredError(put(engine, mse.predictions), mse.targets.data);
    expect(Math.abs(rm.loss - mse.loss)).toBeLessThan(1e-5 * Math.abs(mse.loss) + 1e-6);
    expectClose(rm.grad.data, mse.grad.data, TORCH_F32, "MSE gradient");
  });

  it("draws the same dropout masks as every other backend", async () => {
    const engine = await createEngine({ backend, seed: 42 });
    const drop = engine.dropout(0.3);
    const x = put(engine, { shape: [1000], data: new Array(1000).fill(1) });
    const y = Array.from(drop.forward(x).data);
    const js = await createEngine({ backend: "js", seed: 42 });
    const yJs = Array.from(js.dropout(0.3).forward(put(js, { shape: [1000], data: new Array(1000).fill(1) })).data);
    expect(y).toEqual(yJs);
    const dropped = y.filter((v) => v === 0).length;
    expect(dropped).toBeGreaterThan(240);
    expect(dropped).toBeLessThan(360);
    drop.eval();
    expect(drop.forward(x)).toBe(x);
  });
});

// The three backends on shapes large enough to exercise every GEMM path
// (k-blocks past 256, row blocks past 64, ragged panels): wasm-simd, wasm and
// js in float32 must all match the float64 twin on the same weights.

import { describe, it } from "vitest";
import { BACKENDS, createEngine, type RecurrentKind, type RecurrentOptions, type Tensor } from "../../web/lib/index.ts";
import { Random } from "../../web/lib/util/random.ts";
import { expectClose, TORCH_F32 } from "../helpers/compare.ts";
import { randn } from "../helpers/random.ts";

const T = 19, B = 17, I = 37, H = 45;
const CASES: [string, RecurrentKind, Partial<RecurrentOptions>][] = [
  ["rnn relu", "rnn", { nonlinearity: "relu" }],
  ["lstm", "lstm", {}],
  ["gru", "gru", {}],
  ["gru (Cho)", "gru", { resetAfter: false }],
];

async function run(backend: (typeof BACKENDS)[number] | "f64", kind: RecurrentKind, extra: Partial<RecurrentOptions>, state?: Record<string, Tensor>) {
  const engine = backend === "f64" ? await createEngine({ backend: "js", precision: "float64", seed: 5 }) : await createEngine({ backend, seed: 5 });
  const layer = engine[kind]({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, ...extra });
  if (state) layer.loadStateDict(state);
  const rng = new Random(99);
  const lengths = Array.from({ length: B }, (_, b) => (b === 0 ? T : 1 + Math.floor(rng.next() * T)));
  const x = { shape: [T, B, I], data: randn(rng, T * B * I) };
  const f = layer.forward(x, { lengths });
  const g = layer.backward({
    gradOutput: { shape: f.output.shape, data: randn(rng, f.output.data.length) },
    gradHN: { shape: f.hN.shape, data: randn(rng, f.hN.data.length) },
  });
  return { state: layer.stateDict(), f, g };
}

describe.each(CASES)("backends agree: %s", (_, kind, extra) => {
  it.each(BACKENDS)("%s matches the float64 twin", async (backend) => {
    const ref = await run("f64", kind, extra);
    const got = await run(backend, kind, extra, ref.state);
    expectClose(got.f.output.data, ref.f.output.data, TORCH_F32, "output");
    expectClose(got.f.hN.data, ref.f.hN.data, TORCH_F32, "hN");
    expectClose(got.g.gradX.data, ref.g.gradX.data, TORCH_F32, "gradX");
    expectClose(got.g.gradH0.data, ref.g.gradH0.data, TORCH_F32, "gradH0");
    for (const name of Object.keys(ref.g.grads)) expectClose(got.g.grads[name].data, ref.g.grads[name].data, TORCH_F32, name);
  });
});

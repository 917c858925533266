// Model files saved by Gated load into torch.nn (check_torch_interop.py ran
// torch on them and recorded its outputs); Gated, loading the same files,
// gives the same outputs. The committed files are also exactly what the
// current code saves, so the format cannot drift unnoticed.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BACKENDS, createEngine, Recurrent } from "../../web/lib/index.ts";
import { loadModel, saveModel } from "../../web/lib/persist/model-file.ts";
import { expectClose, TORCH_F32 } from "../helpers/compare.ts";
import { INTEROP_INPUT, INTEROP_LAYERS } from "../fixtures/interop-layers.ts";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/torch-interop.json", import.meta.url), "utf8"));
const file = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/interop/${name}`, import.meta.url)));

describe("PyTorch interop", () => {
  it("covers every recurrent kind", () => {
    expect(fixture.cases.map((c: { file: string }) => c.file).sort()).toEqual(["gru.safetensors", "lstm.safetensors", "rnn.safetensors"]);
  });

  describe.each(BACKENDS)("%s", (backend) => {
    it.each(fixture.cases.map((c: { file: string }) => [c.file, c]))("%s gives torch.nn's outputs", async (name, c) => {
      const engine = await createEngine({ backend });
      const { model } = loadModel(engine, file(name as string), name as string);
      expect(model).toBeInstanceOf(Recurrent);
      const out = (model as Recurrent).forward(INTEROP_INPUT);
      const expected = c as { output: { shape: number[]; data: number[] }; hN: { data: number[] }; cN?: { data: number[] } };
      expect(out.output.shape).toEqual(expected.output.shape);
      expectClose(out.output.data, expected.output.data, TORCH_F32, "output");
      expectClose(out.hN.data, expected.hN.data, TORCH_F32, "hN");
      if (expected.cN) expectClose(out.cN!.data, expected.cN.data, TORCH_F32, "cN");
    });
  });

  it("the committed files are byte for byte what saving the same layers gives now", async () => {
    const engine = await createEngine({ backend: "js", seed: 2026 });
    for (const { name, kind, options } of INTEROP_LAYERS) {
      expect(Buffer.from(saveModel(engine[kind](options))).equals(Buffer.from(file(`${name}.safetensors`))), name).toBe(true);
    }
  });
});

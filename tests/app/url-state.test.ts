// A page's settings in the URL: only what differs from the defaults is
// written, and what a link carries is checked before it is used.

import { describe, expect, it } from "vitest";
import { classifierSpec } from "../../web/lib/pipelines/classifier/spec.ts";
import { formatHash, optionsOfModel, optionsToParams, paramsToOptions, parseHash } from "../../web/app/lib/url-state.ts";

const specs = classifierSpec.options;
const defaults = Object.fromEntries(specs.map((s) => [s.key, s.default]));

describe("settings in the URL", () => {
  it("reads and writes #/page?key=value with the keys in order", () => {
    expect(parseHash("#/translation?beam=4&attention=dot")).toEqual({ page: "translation", params: { beam: "4", attention: "dot" } });
    expect(parseHash("")).toEqual({ page: "", params: {} });
    expect(formatHash({ page: "sentiment", params: { hidden: "32", cell: "lstm" } })).toBe("#/sentiment?cell=lstm&hidden=32");
    expect(formatHash({ page: "models", params: {} })).toBe("#/models");
  });

  it("writes only the options that differ from their defaults, by their flags", () => {
    expect(optionsToParams(specs, defaults)).toEqual({});
    expect(optionsToParams(specs, { ...defaults, hiddenSize: 32, bidirectional: false, recurrentDropout: 0.1 })).toEqual({ hidden: "32", bidirectional: "false", "recurrent-dropout": "0.1" });
  });

  it("reads back what it wrote, and leaves out (naming them) values that are out of range, not numbers or not a choice", () => {
    const values = { ...defaults, hiddenSize: 32, cell: "lstm", pooling: "mean", lr: 0.01 };
    expect(paramsToOptions(specs, optionsToParams(specs, values))).toEqual({ values: { hiddenSize: 32, cell: "lstm", pooling: "mean", lr: 0.01 }, ignored: [] });
    const r = paramsToOptions(specs, { hidden: "0x10", cell: "transformer", epochs: "0", lr: "1e-3", bidirectional: "yes", colour: "red", layers: "2.5" });
    expect(r.values).toEqual({ lr: 0.001 });
    expect(r.ignored.sort()).toEqual(["bidirectional", "cell", "epochs", "hidden", "layers"]);
  });

  it("fills the form with a shown model's settings: the ones these specs know and of the right type, the defaults for the rest", () => {
    const model = { ...defaults, cell: "lstm", hiddenSize: 48, pooling: "mean", threads: 2, epochs: "ten" };
    const form = optionsOfModel(specs, model);
    expect(form).toEqual({ ...defaults, cell: "lstm", hiddenSize: 48, pooling: "mean" });
    expect(form).not.toHaveProperty("threads");
  });
});

// The shapes page's state over the real shapes service (JS engine, on the
// test's thread): one at a time in order, every epoch shown as it comes,
// results kept, the chosen cell used, failures said.

import { describe, expect, it } from "vitest";
import { SHAPE_IDS, ShapesService } from "../../web/lib/labs/shapes.ts";
import { SHAPES_CELL, ShapesLab } from "../../web/app/pages/shapes/shapes.svelte.ts";
import { cellOfLink, linkOfCell } from "../../web/app/lib/cells.ts";

describe("the shapes lab", () => {
  it("trains all five in turn with the chosen cell, showing each epoch; a second request for a busy shape is not queued twice", async () => {
    const service = new ShapesService("js");
    const order: string[] = [];
    const lab = new ShapesLab({
      train: (id, options, onEpoch) => {
        order.push(`${id}:${options.cell}`);
        return service.train(id, options, onEpoch);
      },
    });
    lab.cell = "lstm";
    const all = lab.trainAll();
    expect(lab.busy).toBe(true);
    expect(lab.runs["many-to-one"].state).toBe("waiting");
    void lab.train("many-to-one");
    await all;
    expect(lab.busy).toBe(false);
    expect(order).toEqual(SHAPE_IDS.map((id) => `${id}:lstm`));
    for (const id of SHAPE_IDS) {
      const run = lab.runs[id];
      expect(run.state).toBe("done");
      expect(run.epochs.length).toBe(run.result!.epochs.length);
      expect(run.result!.accuracy).toBeGreaterThan(0.9);
    }
  }, 60_000);

  it("says why a training failed, and lets the others go on", async () => {
    const lab = new ShapesLab({
      train: async (id) => {
        if (id === "one-to-one") throw new Error("out of memory");
        return new ShapesService("js").train(id);
      },
    });
    await Promise.all([lab.train("one-to-one"), lab.train("many-to-one")]);
    expect(lab.runs["one-to-one"]).toMatchObject({ state: "failed", error: "out of memory" });
    expect(lab.runs["many-to-one"].state).toBe("done");
  });
});

describe("the shapes page's link", () => {
  it("carries the cell: read back as written, the GRU (the default) left out, anything else refused", () => {
    for (const cell of ["rnn", "lstm", "gru"] as const) expect(cellOfLink(linkOfCell(cell, SHAPES_CELL), SHAPES_CELL)).toBe(cell);
    expect(linkOfCell("gru", SHAPES_CELL)).toEqual({});
    expect(linkOfCell("lstm", SHAPES_CELL)).toEqual({ cell: "lstm" });
    expect(cellOfLink({ cell: "transformer" }, SHAPES_CELL)).toBe("gru");
    expect(cellOfLink({}, SHAPES_CELL)).toBe("gru");
  });
});

// An unrolled network as boxes and arrows: inputs below, the recurrent
// cell's copies in a row, outputs above; where a decoder follows an encoder
// the row is split, and where outputs are fed back in, dashed arrows say so.

import type { ShapeId } from "../../../lib/labs/shapes.ts";

export interface Unrolled {
  steps: number;
  /** Steps that read an input / give an output. */
  inputs: number[];
  outputs: number[];
  /** Outputs fed back in as the next step's input. */
  feedback: boolean;
  /** Steps before this one encode; from it on, a decoder writes (sequence to sequence). */
  decoderFrom?: number;
  about: string;
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

export const UNROLLED: Record<ShapeId, Unrolled> = {
  "one-to-one": { steps: 1, inputs: [0], outputs: [0], feedback: false, about: "one step: an input, the cell, an output" },
  "one-to-many": { steps: 4, inputs: [0], outputs: range(0, 4), feedback: true, about: "four steps: one input at the first step, an output at every step, each output fed back in" },
  "many-to-one": { steps: 4, inputs: range(0, 4), outputs: [3], feedback: false, about: "four steps: an input at every step, one output after the last" },
  "many-to-many": { steps: 4, inputs: range(0, 4), outputs: range(0, 4), feedback: false, about: "four steps: an input and an output at every step" },
  "sequence-to-sequence": { steps: 6, inputs: range(0, 3), outputs: range(3, 6), feedback: true, decoderFrom: 3, about: "an encoder reads three inputs; a decoder starts from its state and writes three outputs, each fed back in" },
};

export interface Box {
  x: number;
  y: number;
  kind: "input" | "cell" | "decoder" | "output";
  label: string;
}

export interface Arrow {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  dashed: boolean;
}

export const SIZE = { box: 34, gap: 22, row: 62, pad: 8 };

/** Boxes and arrows of an unrolled network, in SVG units. */
export function layout(u: Unrolled): { width: number; height: number; boxes: Box[]; arrows: Arrow[] } {
  const { box, gap, row, pad } = SIZE;
  const x = (t: number) => pad + t * (box + gap);
  const y = { output: pad, cell: pad + row, input: pad + 2 * row };
  const boxes: Box[] = [];
  const arrows: Arrow[] = [];
  const centre = box / 2;
  for (let t = 0; t < u.steps; t++) {
    const decoder = u.decoderFrom !== undefined && t >= u.decoderFrom;
    boxes.push({ x: x(t), y: y.cell, kind: decoder ? "decoder" : "cell", label: `h${sub(t + 1)}` });
    if (t > 0) arrows.push({ x1: x(t - 1) + box, y1: y.cell + centre, x2: x(t), y2: y.cell + centre, dashed: false });
    if (u.inputs.includes(t)) {
      boxes.push({ x: x(t), y: y.input, kind: "input", label: `x${sub(t + 1)}` });
      arrows.push({ x1: x(t) + centre, y1: y.input, x2: x(t) + centre, y2: y.cell + box, dashed: false });
    }
    if (u.outputs.includes(t)) {
      boxes.push({ x: x(t), y: y.output, kind: "output", label: `y${sub(u.decoderFrom !== undefined ? t - u.decoderFrom + 1 : t + 1)}` });
      arrows.push({ x1: x(t) + centre, y1: y.cell, x2: x(t) + centre, y2: y.output + box, dashed: false });
      // The output drawn from this step is the next step's input.
      if (u.feedback && t + 1 < u.steps) arrows.push({ x1: x(t) + box, y1: y.output + centre, x2: x(t + 1) + centre - 6, y2: y.cell + box + 6, dashed: true });
    }
  }
  return { width: x(u.steps) - gap + pad, height: y.input + box + pad, boxes, arrows };
}

const sub = (n: number) => String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]);

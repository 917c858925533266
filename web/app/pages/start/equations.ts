// Each cell's equations, as the notes write them (PyTorch's form), with the
// gate each computes and the scale its values live on: sigmoid gates in
// (0, 1), tanh values in (−1, 1), the LSTM's cell state unbounded.

import type { LabCell } from "../../../lib/labs/gradient-lab.ts";

export interface Equation {
  /** The gate or state it computes (a key of a trace step). */
  name: string;
  /** The formula as HTML (subscripts), static text. */
  html: string;
  scale: "sigmoid" | "tanh" | "free";
}

const affine = (gate: string, h = "h<sub>t−1</sub>") => `W<sub>i${gate}</sub> x<sub>t</sub> + b<sub>i${gate}</sub> + W<sub>h${gate}</sub> ${h} + b<sub>h${gate}</sub>`;

export const EQUATIONS: Record<LabCell, readonly Equation[]> = {
  lstm: [
    { name: "i", html: `i<sub>t</sub> = σ(${affine("i")})`, scale: "sigmoid" },
    { name: "f", html: `f<sub>t</sub> = σ(${affine("f")})`, scale: "sigmoid" },
    { name: "g", html: `g<sub>t</sub> = tanh(${affine("g")})`, scale: "tanh" },
    { name: "o", html: `o<sub>t</sub> = σ(${affine("o")})`, scale: "sigmoid" },
    { name: "c", html: "c<sub>t</sub> = f<sub>t</sub> ⊙ c<sub>t−1</sub> + i<sub>t</sub> ⊙ g<sub>t</sub>", scale: "free" },
    { name: "h", html: "h<sub>t</sub> = o<sub>t</sub> ⊙ tanh(c<sub>t</sub>)", scale: "tanh" },
  ],
  gru: [
    { name: "r", html: `r<sub>t</sub> = σ(${affine("r")})`, scale: "sigmoid" },
    { name: "z", html: `z<sub>t</sub> = σ(${affine("z")})`, scale: "sigmoid" },
    { name: "n", html: "n<sub>t</sub> = tanh(W<sub>in</sub> x<sub>t</sub> + b<sub>in</sub> + r<sub>t</sub> ⊙ (W<sub>hn</sub> h<sub>t−1</sub> + b<sub>hn</sub>))", scale: "tanh" },
    { name: "h", html: "h<sub>t</sub> = (1 − z<sub>t</sub>) ⊙ n<sub>t</sub> + z<sub>t</sub> ⊙ h<sub>t−1</sub>", scale: "tanh" },
  ],
  rnn: [{ name: "h", html: "h<sub>t</sub> = tanh(W<sub>ih</sub> x<sub>t</sub> + b<sub>ih</sub> + W<sub>hh</sub> h<sub>t−1</sub> + b<sub>hh</sub>)", scale: "tanh" }],
};

/** The colour scale of a value of this kind: [low, high] and whether it centres on 0. */
export function scaleOf(scale: Equation["scale"], largest: number): { domain: [number, number]; diverging: boolean } {
  if (scale === "sigmoid") return { domain: [0, 1], diverging: false };
  if (scale === "tanh") return { domain: [-1, 1], diverging: true };
  const m = Math.max(1e-6, largest);
  return { domain: [-m, m], diverging: true };
}

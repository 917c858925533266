// The colour of a value on a scale from domain[0] to domain[1]: viridis, or
// for values around 0 a diverging blue–red, as the heatmaps and the Start
// page's state vectors draw them.

import { interpolateRdBu, interpolateViridis } from "d3-scale-chromatic";

export function valueColour(v: number, domain: readonly [number, number], diverging: boolean): string {
  const t = Math.min(1, Math.max(0, (v - domain[0]) / (domain[1] - domain[0] || 1)));
  return diverging ? interpolateRdBu(1 - t) : interpolateViridis(t);
}

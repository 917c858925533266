// The gradients page's runner over three real labs (on the test's thread):
// they train in lockstep slices, pause and resume without losing a step,
// restart clean with new settings, and report a refused setting.

import { describe, expect, it } from "vitest";
import { GradientLabService } from "../../web/lib/labs/lab-service.ts";
import { GradientsLab, reach } from "../../web/app/pages/gradients/lab.svelte.ts";
import { CELLS } from "../../web/app/lib/cells.ts";

/** The labs answer a task later, as a worker's messages do. */
function labs() {
  const later = (s: GradientLabService) => ({
    configure: (c: Parameters<GradientLabService["configure"]>[0]) => s.configure(c),
    train: (n: number) => new Promise<ReturnType<GradientLabService["train"]>>((r, fail) => setTimeout(() => {
      try {
        r(s.train(n));
      } catch (e) {
        fail(e);
      }
    })),
  });
  return Object.fromEntries(CELLS.map((c) => [c, later(new GradientLabService("js"))])) as Record<(typeof CELLS)[number], ReturnType<typeof later>>;
}

describe("the gradients lab runner", () => {
  it("trains the three cells side by side to the step count, every step recorded once; pause and resume lose nothing", async () => {
    const lab = new GradientsLab(labs(), 5);
    const running = lab.start({ T: 12, hiddenSize: 8 }, 40);
    await new Promise((r) => setTimeout(r, 30));
    lab.pause();
    await running;
    expect(lab.running).toBe(false);
    const paused = lab.done;
    expect(paused).toBeGreaterThan(0);
    expect(paused).toBeLessThan(40);
    await lab.resume(40);
    expect(lab.done).toBe(40);
    for (const r of lab.runs) {
      expect(r.steps).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(r.loss).toHaveLength(40);
      expect(r.smoothLoss).toHaveLength(40);
      expect(r.latest!.stepNorms).toHaveLength(12);
      expect(reach(r.latest!.stepNorms)).toBeGreaterThan(0);
    }
    // A restart clears the curves and takes the new settings.
    await lab.start({ T: 6, hiddenSize: 8, tbptt: 2 }, 3);
    for (const r of lab.runs) {
      expect(r.steps).toEqual([1, 2, 3]);
      expect(r.latest!.stepNorms.slice(0, 4)).toEqual([0, 0, 0, 0]);
      expect(reach(r.latest!.stepNorms)).toBe(0);
    }
  });

  it("says why a setting is refused, and stops", async () => {
    const lab = new GradientsLab(labs());
    await lab.start({ T: 1 }, 10);
    expect(lab.running).toBe(false);
    expect(lab.problem).toMatch(/T must be from 5 to 200, got 1/);
  });
});

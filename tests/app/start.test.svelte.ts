// The Start page's lesson over a real lab (on the test's thread): there is a
// sequence to follow before any learning, every cell learns the task in the
// lesson's steps; the student's place in the sequence moves forward, to the
// verdict, back through time, and stops at both ends; a student in the
// middle of a sequence keeps it when learning ends; a new cell starts clean.

import { describe, expect, it, vi } from "vitest";
import { GradientLabService } from "../../web/lib/labs/lab-service.ts";
import { Lesson, LESSON, LESSON_STEPS, positionAt, symbolName } from "../../web/app/pages/start/lesson.svelte.ts";

/** Until the lesson has a sequence to follow (a generous bound: a busy machine is slow to start an engine). */
const traced = (lesson: Lesson) => vi.waitFor(() => expect(lesson.trace).not.toBeNull(), { timeout: 60_000, interval: 5 });

/** The lab answers a task later, as a worker's messages do. */
function lab() {
  const s = new GradientLabService("js");
  const later = <T>(f: () => T) => new Promise<T>((r, fail) => setTimeout(() => {
    try {
      r(f());
    } catch (e) {
      fail(e);
    }
  }));
  return {
    configure: (c: Parameters<GradientLabService["configure"]>[0]) => s.configure(c),
    train: (n: number) => later(() => s.train(n)),
    trace: () => later(() => s.trace()),
  };
}

describe("the Start page's lesson", () => {
  it("places a student before, at each step, at the verdict and back through time", () => {
    expect(positionAt(-1, 8)).toEqual({ phase: "before" });
    expect(positionAt(0, 8)).toEqual({ phase: "forward", t: 0 });
    expect(positionAt(7, 8)).toEqual({ phase: "forward", t: 7 });
    expect(positionAt(8, 8)).toEqual({ phase: "verdict" });
    expect(positionAt(9, 8)).toEqual({ phase: "backward", t: 7 });
    expect(positionAt(16, 8)).toEqual({ phase: "backward", t: 0 });
    expect([0, 1, 2, 5].map(symbolName)).toEqual(["A", "B", "w", "z"]);
  });

  it("learns at once with a sequence to follow; each cell learns the task, and the gradient that reaches step 1 is smaller than at the last", async () => {
    const results: Record<string, { accuracy: number; reach: number }> = {};
    for (const cell of ["rnn", "lstm", "gru"] as const) {
      const lesson = new Lesson(lab());
      const learning = lesson.start(cell);
      // A sequence is there to follow while the network learns.
      await traced(lesson);
      expect(lesson.trace?.symbols).toHaveLength(LESSON.T);
      expect(lesson.learning).toBe(true);

      await learning;
      expect(lesson.learning).toBe(false);
      expect(lesson.done).toBe(LESSON_STEPS);
      expect(lesson.record.steps).toEqual(Array.from({ length: LESSON_STEPS }, (_, i) => i + 1));
      const trace = lesson.trace!;
      results[cell] = { accuracy: lesson.record.smoothAccuracy.at(-1)!, reach: trace.gradNorms[0] / trace.gradNorms[LESSON.T - 1] };
    }
    // Eight steps back is within every cell's reach (the Gradients page goes to 40 and more, where the RNN fails).
    for (const cell of ["rnn", "lstm", "gru"]) {
      expect(results[cell].accuracy, cell).toBeGreaterThanOrEqual(0.95);
      expect(results[cell].reach, cell).toBeGreaterThan(0);
      expect(results[cell].reach, cell).toBeLessThan(1);
    }
  });

  it("moves through the sequence and stops at its ends; keeps a sequence being followed when learning ends; a new cell starts clean", async () => {
    const lesson = new Lesson(lab());
    const learning = lesson.start("gru");
    await traced(lesson);
    const followed = lesson.trace;
    lesson.back();
    expect(lesson.index).toBe(-1);
    for (let i = 0; i < 3 * LESSON.T; i++) lesson.next();
    expect(lesson.position).toEqual({ phase: "backward", t: 0 });
    lesson.back();
    expect(lesson.position).toEqual({ phase: "backward", t: 1 });
    await learning;
    // The student was in the middle: the sequence stays, marked as read by an older network.
    expect(lesson.trace).toBe(followed);
    expect(lesson.stale).toBe(true);
    await lesson.follow();
    expect(lesson.trace).not.toBe(followed);
    expect(lesson.index).toBe(-1);
    expect(lesson.stale).toBe(false);
    // Another cell: a fresh network and a fresh record.
    const again = lesson.start("rnn");
    expect(lesson.cell).toBe("rnn");
    await vi.waitFor(() => expect(Object.keys(lesson.trace!.steps[0])).toEqual(["h"]), { timeout: 60_000, interval: 5 });
    expect(lesson.done).toBeLessThan(LESSON_STEPS);
    await again;
  });
});

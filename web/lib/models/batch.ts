// A batch of sequences as the models take it: time-major (T×B), padded to
// the longest, with each sequence's length. Inputs are token ids or numeric
// feature vectors. Batches may be built by hand (or arrive from a worker),
// so models check one's structure with checkBatch before copying it into
// engine memory, and its feature values there (a SIMD kernel: a JavaScript
// pass over them took 3% of an inference step).

import { GatedError } from "../errors.ts";
import { checkIndices, checkLengths } from "../layers/indices.ts";
import { countNonFinite } from "../tensor.ts";
import { PAD } from "../text/vocab.ts";

export interface SequenceBatch {
  T: number;
  B: number;
  /** Real steps of each sequence, 1..T. */
  lengths: number[];
  /** T×B token ids (PAD beyond a sequence's length). */
  ids?: Int32Array;
  /** T×B×F feature values (0 beyond a sequence's length). */
  features?: Float32Array;
}

/** Pads id sequences into a time-major batch; ids must be non-negative integers (the model checks them against its vocabulary). */
export function tokenBatch(sequences: readonly (readonly number[])[]): SequenceBatch {
  const given: unknown = sequences;
  if (!Array.isArray(given)) throw new GatedError("a batch is an array of sequences of token ids");
  const B = sequences.length;
  if (B === 0) throw new GatedError("a batch needs at least one sequence");
  const lengths = sequences.map((s, b) => {
    if (!Array.isArray(s) || s.length === 0) throw new GatedError(`sequence ${b} of the batch is ${Array.isArray(s) ? "empty" : "not an array of token ids"}`);
    checkIndices(s, { where: "batch", name: (t) => `token ${t} of sequence ${b}`, min: 0, max: 2 ** 31 - 1 });
    return s.length;
  });
  const T = Math.max(...lengths);
  const ids = new Int32Array(T * B).fill(PAD);
  sequences.forEach((s, b) => s.forEach((id, t) => (ids[t * B + b] = id)));
  return { T, B, lengths, ids };
}

/** Pads feature sequences (each step a vector of F finite numbers) into a time-major batch. */
export function featureBatch(sequences: readonly (readonly (readonly number[])[])[], F: number): SequenceBatch {
  const B = sequences.length;
  if (B === 0) throw new GatedError("a batch needs at least one sequence");
  const lengths = sequences.map((s, b) => {
    if (!Array.isArray(s) || s.length === 0) throw new GatedError(`sequence ${b} of the batch is ${Array.isArray(s) ? "empty" : "not an array of steps"}`);
    s.forEach((step: ArrayLike<number>, t) => {
      if (!(Array.isArray(step) || ArrayBuffer.isView(step)) || step.length !== F) throw new GatedError(`batch: step ${t} of sequence ${b} should have ${F} values`);
      if (countNonFinite(step)) throw new GatedError(`batch: step ${t} of sequence ${b} holds NaN or infinite values`);
    });
    return s.length;
  });
  const T = Math.max(...lengths);
  const features = new Float32Array(T * B * F);
  sequences.forEach((s, b) => s.forEach((step, t) => features.set(step, (t * B + b) * F)));
  return { T, B, lengths, features };
}

/** Refuses a batch whose parts do not fit together (before any of it is copied into engine memory; feature values are checked there). */
export function checkBatch(batch: SequenceBatch, input: { features: number } | { vocabSize: number }): void {
  const fail = (why: string): never => {
    throw new GatedError(`batch: ${why}`);
  };
  if (!batch || typeof batch !== "object") fail("not a batch");
  const { T, B, lengths } = batch;
  if (!Number.isInteger(T) || T < 1 || !Number.isInteger(B) || B < 1) fail(`T and B must be positive integers, got ${T} and ${B}`);
  if (!Array.isArray(lengths) && !ArrayBuffer.isView(lengths)) fail("lengths are missing");
  if (lengths.length !== B) fail(`${lengths.length} lengths for ${B} sequences`);
  checkLengths(lengths, T, "batch");
  if ("features" in input) {
    const n = T * B * input.features;
    if (!(batch.features instanceof Float32Array) || batch.features.length !== n) {
      fail(`this model reads ${input.features} features per step: expected a Float32Array of T·B·${input.features} = ${n} values`);
    }
  } else if (!(batch.ids instanceof Int32Array) || batch.ids.length !== T * B) {
    fail(`this model reads token ids: expected an Int32Array of T·B = ${T * B} ids`);
  }
}

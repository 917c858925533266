// A batch of sequences as the models take it: time-major (T×B), padded to
// the longest, with each sequence's length. Inputs are token ids or numeric
// feature vectors.

import { GatedError } from "../errors.ts";
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

/** Pads id sequences into a time-major batch. */
export function tokenBatch(sequences: readonly (readonly number[])[]): SequenceBatch {
  const B = sequences.length;
  if (B === 0) throw new GatedError("a batch needs at least one sequence");
  const lengths = sequences.map((s, b) => {
    if (s.length === 0) throw new GatedError(`sequence ${b} of the batch is empty`);
    return s.length;
  });
  const T = Math.max(...lengths);
  const ids = new Int32Array(T * B).fill(PAD);
  sequences.forEach((s, b) => s.forEach((id, t) => (ids[t * B + b] = id)));
  return { T, B, lengths, ids };
}

/** Pads feature sequences (each step a vector of F numbers) into a time-major batch. */
export function featureBatch(sequences: readonly (readonly (readonly number[])[])[], F: number): SequenceBatch {
  const B = sequences.length;
  if (B === 0) throw new GatedError("a batch needs at least one sequence");
  const lengths = sequences.map((s) => s.length);
  const T = Math.max(...lengths);
  const features = new Float32Array(T * B * F);
  sequences.forEach((s, b) => s.forEach((step, t) => features.set(step, (t * B + b) * F)));
  return { T, B, lengths, features };
}

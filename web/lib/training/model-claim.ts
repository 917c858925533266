// One session trains a model at a time: two at once would interleave their
// batches' forwards and backwards over the same caches and gradients.

import { GatedError } from "../errors.ts";
import type { Module } from "../layers/module.ts";

/** Which session (or train() call) is training each model right now. */
const TRAINING = new WeakMap<Module, object>();

/** Marks the model as trained by `owner` until the returned function runs; refused while another trains it. */
export function claimModel(model: Module, owner: object): () => void {
  const current = TRAINING.get(model);
  if (current && current !== owner) throw new GatedError("this model is being trained by another session (or train() call); wait for it to end, or stop it, before training it again");
  TRAINING.set(model, owner);
  return () => {
    if (TRAINING.get(model) === owner) TRAINING.delete(model);
  };
}

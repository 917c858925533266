// What a model's config says of its recurrent network: the encoder settings
// (an encoder's, a generator's decoder's) and where its recurrent weights sit
// in the state dict. Read by pipelines (a checkpoint's options against its
// model) and by the Models page (a file's network in a few words, and how to
// load it into torch.nn), from a model file's header alone.

import type { ModelConfig } from "../models/create.ts";
import type { EncoderConfig } from "../models/encoder.ts";

/** The recurrent part of a model, or null for a bare recurrent layer (whose config is its own options). */
export function recurrentPartOf(config: ModelConfig): { encoder: EncoderConfig; prefix: string } | null {
  switch (config.type) {
    case "classifier":
    case "tagger":
      return { encoder: config, prefix: "encoder.rnn." };
    case "seq2seq":
      return { encoder: config.encoder, prefix: "encoder.rnn." };
    case "generator":
      return { encoder: config.decoder, prefix: "decoder.rnn." };
    default:
      return null;
  }
}

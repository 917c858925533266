// Translation between two languages: word tokens (digits one by one, so
// numbers are copied rather than memorised) → bidirectional encoder →
// attentional decoder; greedy or beam-search decoding back to text.

import type { TextPair } from "../data/formats.ts";
import type { AttentionScore } from "../layers/attention.ts";
import type { Seq2Seq, Seq2SeqConfig } from "../models/seq2seq.ts";
import type { TranslationPair } from "../tasks/translation.ts";
import { Vocabulary } from "../text/vocab.ts";
import { encoderConfig, type ModelOptions, needExamples, tokenizerOf, type TokenizerSpec } from "./common.ts";

export interface TranslatorExtras {
  pipeline: "translator";
  tokenizer: TokenizerSpec;
  sourceVocab: string[];
  targetVocab: string[];
  maxTokens: number;
}

export interface TranslatorOptions extends ModelOptions {
  attention?: AttentionScore | "none";
  vocabSize?: number;
  maxTokens?: number;
}

export function prepareTranslator(pairs: readonly TextPair[], o: TranslatorOptions = {}) {
  const tokenizer: TokenizerSpec = { kind: "word", lowercase: true };
  const tok = tokenizerOf(tokenizer);
  const maxTokens = o.maxTokens ?? 50;
  const tokenized = pairs.map((p) => [tok.tokenize(p.source), tok.tokenize(p.target)] as const).filter(([s, t]) => s.length && t.length && s.length <= maxTokens && t.length <= maxTokens);
  needExamples(tokenized.length, 4, "translator");
  const sourceVocab = Vocabulary.build(tokenized.map(([s]) => s), { maxSize: o.vocabSize ?? 20000 });
  const targetVocab = Vocabulary.build(tokenized.map(([, t]) => t), { maxSize: o.vocabSize ?? 20000 });
  const extras: TranslatorExtras = { pipeline: "translator", tokenizer, sourceVocab: sourceVocab.toJSON(), targetVocab: targetVocab.toJSON(), maxTokens };
  const examples: TranslationPair[] = tokenized.map(([s, t]) => ({ source: sourceVocab.encode(s), target: targetVocab.encode(t) }));
  const embeddingDim = o.embeddingDim ?? 64;
  const config: Seq2SeqConfig = {
    type: "seq2seq",
    encoder: encoderConfig({ vocabSize: sourceVocab.size, embeddingDim }, o, {
      cell: "gru", hiddenSize: 96, embeddingDim, numLayers: 1, bidirectional: true, merge: "concat", dropout: 0, recurrentDropout: 0,
    }),
    targetVocabSize: targetVocab.size,
    targetEmbeddingDim: embeddingDim,
    attention: o.attention ?? "general",
    headDropout: 0.1,
  };
  return { extras, examples, config };
}

export function translateTexts(model: Seq2Seq, extras: TranslatorExtras, texts: readonly string[], { beam = 1 } = {}) {
  const tok = tokenizerOf(extras.tokenizer);
  const source = new Vocabulary(extras.sourceVocab);
  const target = new Vocabulary(extras.targetVocab);
  const ids = texts.map((t) => {
    const s = source.encode(tok.tokenize(t)).slice(0, extras.maxTokens);
    return s.length ? s : [1];
  });
  const results = beam > 1 ? ids.map((s) => model.beamSearch(s, { beam, maxLength: extras.maxTokens + 10 })) : model.translate(ids, { maxLength: extras.maxTokens + 10 });
  return results.map((r, i) => ({
    text: tok.detokenize(target.decode(r.ids)),
    sourceTokens: source.decode(ids[i]),
    targetTokens: target.decode(r.ids),
    attention: r.attention,
  }));
}

// Translation pairs of token ids; validation reports exact match and BLEU of
// greedy translations, detokenized through the target vocabulary.

import type { Seq2Seq } from "../models/seq2seq.ts";
import type { Vocabulary } from "../text/vocab.ts";
import { bleu, exactMatch } from "../training/metrics.ts";
import type { Task } from "../training/trainer.ts";

export interface TranslationPair {
  source: number[];
  target: number[];
}

export function translationTask(model: Seq2Seq, targetVocab: Vocabulary, { batchSize = 64, maxLength = 60 } = {}): Task<TranslationPair> {
  return {
    model,
    length: (e) => e.source.length,
    step: (examples, train) => model.step(examples.map((e) => e.source), examples.map((e) => e.target), train),
    evaluate: (examples) => {
      const hyps: string[][] = [];
      for (let i = 0; i < examples.length; i += batchSize) {
        const part = examples.slice(i, i + batchSize);
        for (const t of model.translate(part.map((e) => e.source), { maxLength })) hyps.push(targetVocab.decode(t.ids));
      }
      const refs = examples.map((e) => targetVocab.decode(e.target));
      return { exactMatch: exactMatch(hyps, refs), bleu: bleu(hyps, refs) };
    },
  };
}

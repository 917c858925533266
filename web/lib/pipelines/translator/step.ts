// Translation pairs of token ids; validation reports exact match and BLEU of
// greedy translations, detokenized through the target vocabulary.

import type { Seq2Seq } from "../../models/seq2seq.ts";
import type { Vocabulary } from "../../text/vocab.ts";
import { bleu, exactMatch } from "../../training/metrics.ts";
import { type Payload, runPayload } from "../../parallel/payload.ts";
import type { Task } from "../../training/task.ts";

export interface TranslationPair {
  source: number[];
  target: number[];
}

export function translationTask(model: Seq2Seq, targetVocab: Vocabulary, { batchSize = 64, maxLength = 60 } = {}): Task<TranslationPair> {
  const payload = (examples: TranslationPair[]): Payload => ({
    kind: "seq2seq", sources: examples.map((e) => e.source), targets: examples.map((e) => e.target),
  });
  return {
    model,
    payload,
    length: (e) => e.source.length,
    step: (examples, train) => runPayload(model, payload(examples), train),
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

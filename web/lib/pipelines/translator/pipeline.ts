// Translation between two languages, many-to-many and unaligned: word
// tokens (digits one by one, so numbers are copied rather than memorised) →
// (bidirectional) encoder → attentional decoder; greedy or beam-search
// decoding back to text, with the attention weights of every output word.

import { parseParallelText, type TextPair } from "../../data/formats.ts";
import { GatedError } from "../../errors.ts";
import { isPlainObject, onlyKeys } from "../../util/check.ts";
import { type Seq2Seq, type Seq2SeqConfig, teacherForcing } from "../../models/seq2seq.ts";
import { tokenBatch } from "../../models/batch.ts";
import type { TranslatorCard } from "./card.ts";
import { type TranslationPair, translationTask } from "./step.ts";
import { bleu, exactMatch } from "../../training/metrics.ts";
import { tokenizerOf } from "../../text/tokenizer.ts";
import { UNK, Vocabulary } from "../../text/vocab.ts";
import { checkCount, encoderConfig, holdOutItems, needExamples, pickExamples, PREDICT_BATCH } from "../common.ts";
import type { ExampleRow, Pipeline } from "../pipeline.ts";
import { type TranslatedText, type TranslateRequest, translatorSpec, type TranslatorOptions } from "./spec.ts";

const MAX_TEXTS = 10000;

/** Translates any number of texts (greedy ones in batches); a caller's request is capped by the pipeline's predict. */
export function translateTexts(model: Seq2Seq, card: TranslatorCard, texts: readonly string[], { beam = 1 }: { beam?: number } = {}): TranslatedText[] {
  checkCount("beam", beam, 64);
  const tok = tokenizerOf(card.tokenizer);
  const source = new Vocabulary(card.sourceVocab);
  const target = new Vocabulary(card.targetVocab);
  const read = texts.map((t) => {
    if (typeof t !== "string") throw new GatedError("texts to translate must be strings");
    const words = tok.tokenize(t, card.maxTokens);
    const s = source.encode(words);
    return { ids: s.length ? s : [UNK], unknownWords: [...new Set(words.filter((_, j) => s[j] === UNK))] };
  });
  const ids = read.map((r) => r.ids);
  const maxLength = card.maxTokens + 10;
  const results = beam > 1 ? ids.map((s) => model.beamSearch(s, { beam, maxLength })) : [];
  // Greedy decoding in batches, so that thousands of texts need no more memory than a training batch.
  for (let i = 0; beam === 1 && i < ids.length; i += PREDICT_BATCH) results.push(...model.translate(ids.slice(i, i + PREDICT_BATCH), { maxLength }));
  return results.map((r, i) => ({
    text: tok.detokenize(target.decode(r.ids)),
    sourceTokens: source.decode(ids[i]),
    targetTokens: target.decode(r.ids),
    attention: r.attention,
    logProb: r.logProb,
    unknownWords: read[i].unknownWords,
  }));
}

export const translatorPipeline: Pipeline<"translator", TextPair[], TranslationPair, TranslateRequest, TranslatedText[], TranslatorOptions> = {
  ...translatorSpec,

  parse: (text, file) => parseParallelText(text, { source: file.name }),
  isItem: (x) => isPlainObject(x) && typeof x.source === "string" && typeof x.target === "string",
  itemFormat: "{ source: string, target: string }",
  size: (data) => data.length,
  holdOut: holdOutItems,

  design(train, o, data) {
    const tokenizer = { kind: "word" as const, lowercase: true };
    const tok = tokenizerOf(tokenizer);
    // One token past the limit is enough to tell a pair is too long (and left out).
    const cap = o.maxTokens + 1;
    const tokenized = train.map((p) => [tok.tokenize(p.source, cap), tok.tokenize(p.target, cap)]);
    const sourceVocab = Vocabulary.build(tokenized.map(([s]) => s), { maxSize: o.vocabSize });
    const targetVocab = Vocabulary.build(tokenized.map(([, t]) => t), { maxSize: o.vocabSize });
    const embeddingDim = o.embeddingDim;
    const config: Seq2SeqConfig = {
      type: "seq2seq",
      encoder: encoderConfig({ vocabSize: sourceVocab.size, embeddingDim }, o),
      targetVocabSize: targetVocab.size,
      targetEmbeddingDim: embeddingDim,
      attention: o.attention,
      headDropout: 0.1,
    };
    return { config, card: { kind: "translator", version: 1, data, tokenizer, sourceVocab: sourceVocab.toJSON(), targetVocab: targetVocab.toJSON(), maxTokens: o.maxTokens } };
  },

  examples(card, train) {
    const tok = tokenizerOf(card.tokenizer);
    const source = new Vocabulary(card.sourceVocab);
    const target = new Vocabulary(card.targetVocab);
    const examples: TranslationPair[] = [];
    for (const p of train) {
      const s = tok.tokenize(p.source, card.maxTokens + 1);
      const t = tok.tokenize(p.target, card.maxTokens + 1);
      if (s.length && t.length && s.length <= card.maxTokens && t.length <= card.maxTokens) examples.push({ source: source.encode(s), target: target.encode(t) });
    }
    needExamples(examples.length, 4, "translator");
    return { train: examples };
  },

  task: (model, card) => translationTask(model as Seq2Seq, new Vocabulary(card.targetVocab)),

  evaluate(model, card, { test }) {
    const out = test.length ? translateTexts(model as Seq2Seq, card, test.map((p) => p.source)) : [];
    const tok = tokenizerOf(card.tokenizer);
    const refs = test.map((p) => tok.tokenize(p.target));
    const hyps = out.map((o) => o.targetTokens);
    const rows: ExampleRow[] = out.map((o, i) => ({
      input: test[i].source, output: o.text, expected: test[i].target, correct: o.text === tok.detokenize(refs[i]),
      confidence: Math.exp(o.logProb / (o.targetTokens.length + 1)),
    }));
    return {
      count: test.length,
      unit: "pairs",
      metrics: [
        { key: "exactMatch", label: "exact match", value: exactMatch(hyps, refs), format: "percent", better: "higher" },
        { key: "bleu", label: "BLEU", value: bleu(hyps, refs), format: "percent", better: "higher" },
      ],
      baselines: [],
      examples: pickExamples(rows),
    };
  },

  predict(model, card, request) {
    onlyKeys(request, ["texts", "beam"], "a translate request");
    if (!Array.isArray(request.texts)) throw new GatedError("a translate request needs texts: an array of strings");
    checkCount("the number of texts", request.texts.length, MAX_TEXTS);
    return translateTexts(model as Seq2Seq, card, request.texts, { beam: request.beam ?? 1 });
  },

  inspect(model, card, text) {
    const m = model as Seq2Seq;
    const [t] = translateTexts(m, card, [text]);
    const target = new Vocabulary(card.targetVocab);
    const source = new Vocabulary(card.sourceVocab);
    // The decoder over its own greedy translation (teacher-forced on it) computes what decoding computed step by step.
    const output = target.encode(t.targetTokens);
    const { encoder, decoder } = m.evaluating(() => {
      m.forward(tokenBatch([source.encode(t.sourceTokens)]), teacherForcing([output]).input);
      return { encoder: m.encoder.rnn.gates(), decoder: m.decoder.rnn.gates() };
    });
    return {
      steps: [
        { label: "encoder", tokens: t.sourceTokens, gates: encoder },
        { label: "decoder", tokens: ["<s>", ...t.targetTokens], gates: decoder },
      ],
    };
  },
};

// The notes' five shapes of recurrent network, each with a small task it
// learns in seconds, on data generated here from a seed:
//   1 → 1  a lookup (a digit to the digit seven places on): no recurrence at all;
//   1 → N  a digit to its English name, letter by letter (a generator);
//   N → 1  a sequence of signed numbers to the sign of their sum (a classifier);
//   N → N  each digit of a sequence tagged up, down or same against the one before (a tagger);
//   N → M  a digit string reversed (an encoder–decoder with attention).
// Each reports its loss per epoch and, on examples it never trained on
// (for the lookups: every input), its accuracy and a few samples.

import { createEngine, type Engine } from "../engine.ts";
import { tokenBatch } from "../models/batch.ts";
import type { SequenceClassifier } from "../models/classifier.ts";
import { createModel, type Model } from "../models/create.ts";
import type { EncoderConfig } from "../models/encoder.ts";
import type { SequenceGenerator } from "../models/generator.ts";
import type { Seq2Seq } from "../models/seq2seq.ts";
import { IGNORE, type SequenceTagger } from "../models/tagger.ts";
import { type Payload, runPayload } from "../parallel/payload.ts";
import { classificationTask, type LabelledSequence } from "../pipelines/classifier/step.ts";
import { type ConditionedSequence, generationTask } from "../pipelines/generator/step.ts";
import { translationTask, type TranslationPair } from "../pipelines/translator/step.ts";
import type { EpochReport } from "../training/reports.ts";
import type { Task } from "../training/task.ts";
import { train } from "../training/trainer.ts";
import { Vocabulary } from "../text/vocab.ts";
import { Random } from "../util/random.ts";
import { GatedError } from "../errors.ts";

export const SHAPE_IDS = ["one-to-one", "one-to-many", "many-to-one", "many-to-many", "sequence-to-sequence"] as const;
export type ShapeId = (typeof SHAPE_IDS)[number];

export interface ShapeInfo {
  id: ShapeId;
  /** "1 → 1", "N → M", … */
  arrow: string;
  title: string;
  /** The small task it learns here. */
  task: string;
  /** Where the shape is met in practice. */
  uses: string;
}

export const SHAPES: Record<ShapeId, ShapeInfo> = {
  "one-to-one": { id: "one-to-one", arrow: "1 → 1", title: "One to one", task: "a digit in, the digit seven places on out (a lookup)", uses: "a plain feed-forward network: one input, one output, nothing carried over time" },
  "one-to-many": { id: "one-to-many", arrow: "1 → N", title: "One to many", task: "a digit in, its English name out, one letter at a time", uses: "captioning an image, writing music from a style, names for a class" },
  "many-to-one": { id: "many-to-one", arrow: "N → 1", title: "Many to one", task: "a sequence of signed numbers in, the sign of their sum out", uses: "sentiment of a review, the topic of a text" },
  "many-to-many": { id: "many-to-many", arrow: "N → N", title: "Many to many, aligned", task: "a digit sequence in, each digit tagged up, down or same against the one before", uses: "tagging words, labelling each frame of a video" },
  "sequence-to-sequence": { id: "sequence-to-sequence", arrow: "N → M", title: "Many to many, encoder–decoder", task: "a digit string in, the same digits reversed out", uses: "translation, summaries: the output's length is its own" },
};

export interface ShapeSample {
  input: string;
  output: string;
  expected: string;
  correct: boolean;
}

export interface ShapeResult {
  id: ShapeId;
  epochs: EpochReport[];
  /** Share of held-out examples (for the lookups: of every input) answered exactly right. */
  accuracy: number;
  /** What accuracy counts: "digits", "sequences", "tags". */
  unit: string;
  samples: ShapeSample[];
  weights: number;
}

export interface ShapeOptions {
  cell?: "rnn" | "lstm" | "gru";
  seed?: number;
  onEpoch?: (epoch: EpochReport) => void;
}

const DIGITS = "0123456789".split("");
const NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const vocabulary = (tokens: string[]) => new Vocabulary(["<pad>", "<unk>", "<s>", "</s>", ...tokens]);

const encoder = (vocabSize: number, cell: EncoderConfig["cell"], hiddenSize = 32): EncoderConfig => ({
  input: { vocabSize, embeddingDim: 16 }, cell, hiddenSize, numLayers: 1, bidirectional: false, merge: "concat", dropout: 0, recurrentDropout: 0,
});

interface Lab<E> {
  model: Model;
  task: Task<E>;
  train: E[];
  epochs: number;
  lr: number;
  score(): Omit<ShapeResult, "id" | "epochs" | "weights">;
}

const sample = (input: string, output: string, expected: string): ShapeSample => ({ input, output, expected, correct: output === expected });
const share = (samples: ShapeSample[]) => samples.filter((s) => s.correct).length / samples.length;

function oneToOne(engine: Engine, cell: EncoderConfig["cell"], rng: Random): Lab<LabelledSequence> {
  const vocab = vocabulary(DIGITS);
  const model = createModel(engine, { type: "classifier", ...encoder(vocab.size, cell, 16), pooling: "last", headDropout: 0, classes: 10 }) as SequenceClassifier;
  const answer = (d: number) => (d + 7) % 10;
  const examples = Array.from({ length: 200 }, () => Math.floor(rng.next() * 10)).map((d) => ({ ids: vocab.encode([String(d)]), label: answer(d) }));
  return {
    model, task: classificationTask(model), train: examples, epochs: 15, lr: 0.02,
    score() {
      const p = model.predict(tokenBatch(DIGITS.map((d) => vocab.encode([d]))));
      const samples = DIGITS.map((d, i) => sample(d, String(argmax(p[i])), String(answer(i))));
      return { accuracy: share(samples), unit: "digits", samples };
    },
  };
}

function oneToMany(engine: Engine, cell: EncoderConfig["cell"], rng: Random): Lab<ConditionedSequence> {
  const vocab = vocabulary([...new Set(NAMES.join(""))].sort());
  const model = createModel(engine, { type: "generator", conditionSize: 10, decoder: encoder(vocab.size, cell), headDropout: 0 }) as SequenceGenerator;
  const hot = (d: number) => DIGITS.map((_, j) => (j === d ? 1 : 0));
  const examples = Array.from({ length: 300 }, () => Math.floor(rng.next() * 10)).map((d) => ({ condition: hot(d), ids: vocab.encode([...NAMES[d]]) }));
  return {
    model, task: generationTask(model), train: examples, epochs: 20, lr: 0.01,
    score() {
      const samples = NAMES.map((name, d) => sample(String(d), vocab.decode(model.generate(hot(d), new Random(1), { temperature: 0, maxLength: 12 })).join(""), name));
      return { accuracy: share(samples), unit: "digits", samples };
    },
  };
}

function manyToOne(engine: Engine, cell: EncoderConfig["cell"], rng: Random): Lab<LabelledSequence> {
  const values = ["-3", "-2", "-1", "+1", "+2", "+3"];
  const vocab = vocabulary(values);
  const model = createModel(engine, { type: "classifier", ...encoder(vocab.size, cell), pooling: "last", headDropout: 0, classes: 2 }) as SequenceClassifier;
  const make = () => {
    for (;;) {
      const xs = Array.from({ length: 3 + Math.floor(rng.next() * 7) }, () => values[Math.floor(rng.next() * 6)]);
      const sum = xs.reduce((a, v) => a + Number(v), 0);
      if (sum !== 0) return { xs, label: sum > 0 ? 1 : 0 };
    }
  };
  const all = Array.from({ length: 2200 }, make);
  const test = all.slice(2000);
  return {
    model, task: classificationTask(model), train: all.slice(0, 2000).map((e) => ({ ids: vocab.encode(e.xs), label: e.label })), epochs: 8, lr: 0.01,
    score() {
      const p = model.predict(tokenBatch(test.map((e) => vocab.encode(e.xs))));
      const sign = ["negative", "positive"];
      const samples = test.map((e, i) => sample(e.xs.join(" "), sign[argmax(p[i])], sign[e.label]));
      return { accuracy: share(samples), unit: "sequences", samples };
    },
  };
}

interface TaggedDigits {
  ids: number[];
  tags: number[];
}

function manyToMany(engine: Engine, cell: EncoderConfig["cell"], rng: Random): Lab<TaggedDigits> {
  const vocab = vocabulary(DIGITS);
  const TAGS = ["start", "up", "down", "same"];
  const model = createModel(engine, { type: "tagger", ...encoder(vocab.size, cell), headDropout: 0, head: "softmax", outputs: TAGS.length }) as SequenceTagger;
  const make = () => {
    // Repeats are made likely, so "same" is seen often enough.
    const ds: number[] = [];
    for (let n = 4 + Math.floor(rng.next() * 7); ds.length < n; ) ds.push(ds.length && rng.next() < 0.25 ? ds[ds.length - 1] : Math.floor(rng.next() * 10));
    return { ids: vocab.encode(ds.map(String)), tags: ds.map((d, t) => (t === 0 ? 0 : d > ds[t - 1] ? 1 : d < ds[t - 1] ? 2 : 3)) };
  };
  const all = Array.from({ length: 1700 }, make);
  const test = all.slice(1500);
  const payload = (examples: TaggedDigits[]): Payload => {
    const batch = tokenBatch(examples.map((e) => e.ids));
    const targets = new Int32Array(batch.T * batch.B).fill(IGNORE);
    examples.forEach((e, b) => e.tags.forEach((tag, t) => (targets[t * batch.B + b] = tag)));
    return { kind: "tagger", batch, targets };
  };
  const task: Task<TaggedDigits> = { model, payload, length: (e) => e.ids.length, step: (examples, train) => runPayload(model, payload(examples), train) };
  return {
    model, task, train: all.slice(0, 1500), epochs: 10, lr: 0.01,
    score() {
      const tagged = model.evaluating(() => {
        const { out } = model.forward(tokenBatch(test.map((e) => e.ids)));
        const [, B, C] = out.shape;
        return test.map((e, b) => e.tags.map((_, t) => argmax(out.data.subarray((t * B + b) * C, (t * B + b + 1) * C))));
      });
      let right = 0, total = 0;
      tagged.forEach((tags, i) => tags.forEach((tag, t) => ((right += tag === test[i].tags[t] ? 1 : 0), total++)));
      const samples = test.map((e, i) => sample(vocab.decode(e.ids).join(" "), tagged[i].map((t) => TAGS[t]).join(" "), e.tags.map((t) => TAGS[t]).join(" ")));
      return { accuracy: right / total, unit: "tags", samples };
    },
  };
}

function sequenceToSequence(engine: Engine, cell: EncoderConfig["cell"], rng: Random): Lab<TranslationPair> {
  const vocab = vocabulary(DIGITS);
  const model = createModel(engine, { type: "seq2seq", encoder: encoder(vocab.size, cell), targetVocabSize: vocab.size, targetEmbeddingDim: 16, attention: "dot", headDropout: 0 }) as Seq2Seq;
  const make = () => {
    const s = Array.from({ length: 3 + Math.floor(rng.next() * 4) }, () => DIGITS[Math.floor(rng.next() * 10)]);
    return { source: vocab.encode(s), target: vocab.encode([...s].reverse()) };
  };
  const all = Array.from({ length: 2200 }, make);
  const test = all.slice(2000);
  return {
    model, task: translationTask(model, vocab), train: all.slice(0, 2000), epochs: 10, lr: 0.01,
    score() {
      const out = model.translate(test.map((p) => p.source));
      const samples = test.map((p, i) => sample(vocab.decode(p.source).join(""), vocab.decode(out[i].ids).join(""), vocab.decode(p.target).join("")));
      return { accuracy: share(samples), unit: "sequences", samples };
    },
  };
}

const LABS: Record<ShapeId, (engine: Engine, cell: EncoderConfig["cell"], rng: Random) => Lab<never>> = {
  "one-to-one": oneToOne as never,
  "one-to-many": oneToMany as never,
  "many-to-one": manyToOne as never,
  "many-to-many": manyToMany as never,
  "sequence-to-sequence": sequenceToSequence as never,
};

/** Trains one shape's model on its task and scores it; the samples put mistakes first. */
export async function trainShape(engine: Engine, id: ShapeId, { cell = "gru", seed = 1, onEpoch }: ShapeOptions = {}): Promise<ShapeResult> {
  if (!Object.hasOwn(LABS, id)) throw new GatedError(`unknown shape "${id}"; the shapes are ${SHAPE_IDS.join(", ")}`);
  const lab = LABS[id](engine, cell, new Random(seed));
  try {
    const { history } = await train(engine, lab.task, lab.train, { epochs: lab.epochs, batchSize: 32, optimizerOptions: { lr: lab.lr }, seed, validationSplit: 0, ...(onEpoch ? { onEpoch } : {}) });
    const scored = lab.model.evaluating(() => lab.score());
    const samples = [...scored.samples.filter((s) => !s.correct), ...scored.samples.filter((s) => s.correct)].slice(0, 8);
    return { id, epochs: history, accuracy: scored.accuracy, unit: scored.unit, samples, weights: lab.model.parameters().reduce((n, p) => n + p.size, 0) };
  } finally {
    lab.model.dispose();
  }
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/** The shapes lab as a worker serves it: each training gets an engine of its own, given up after. */
export class ShapesService {
  constructor(private readonly backend?: Engine["backend"]) {}

  async train(id: ShapeId, options: Omit<ShapeOptions, "onEpoch"> = {}, onEpoch?: (epoch: EpochReport) => void): Promise<ShapeResult> {
    const engine = await createEngine({ seed: options.seed ?? 1, ...(this.backend ? { backend: this.backend } : {}) });
    try {
      // Across threads the callback answers with a promise: nothing waits for it.
      return await trainShape(engine, id, { ...options, ...(onEpoch ? { onEpoch: (e) => void onEpoch(e) } : {}) });
    } finally {
      engine.dispose();
    }
  }
}

// Many-to-many, unaligned: an encoder–decoder for translation (Sutskever et
// al. 2014) with attention (Luong et al. 2015). The decoder starts from the
// encoder's merged final states; in training it reads the reference target
// shifted right (teacher forcing). With attention, each decoder state s
// attends over the encoder outputs and the attentional state
// tanh(W_c [context; s]) feeds the output layer. Decoding is greedy or beam search.

import { GatedError } from "../errors.ts";
import { Attention, type AttentionOptions, type AttentionScore } from "../layers/attention.ts";
import type { EngineContext } from "../layers/context.ts";
import { DeviceTensor } from "../layers/device.ts";
import { Dropout } from "../layers/dropout.ts";
import { Linear, type LinearOptions } from "../layers/linear.ts";
import { Losses } from "../layers/losses.ts";
import { Module, nest, type Shapes } from "../layers/module.ts";
import { BOS, EOS } from "../text/vocab.ts";
import { type SequenceBatch, tokenBatch } from "./batch.ts";
import type { StepResult } from "./classifier.ts";
import { type Encoded, Encoder, type EncoderConfig } from "./encoder.ts";
import { IGNORE } from "./tagger.ts";
import { logSoftmax } from "./softmax.ts";

/** The decoder's attention: none, or how it scores the encoder's steps. */
export const ATTENTIONS = ["none", "dot", "general", "additive"] as const satisfies readonly (AttentionScore | "none")[];
export type AttentionKind = (typeof ATTENTIONS)[number];

export interface Seq2SeqConfig {
  type: "seq2seq";
  encoder: EncoderConfig;
  targetVocabSize: number;
  targetEmbeddingDim: number;
  attention: AttentionKind;
  /** Width of additive attention's scoring layer (default: the decoder's width). */
  attentionSize?: number;
  headDropout: number;
}

export interface Translation {
  ids: number[];
  /** Attention weights, one row over the source per generated token (empty without attention). */
  attention: number[][];
  /** Sum of log-probabilities of the chosen tokens. */
  logProb: number;
}

export class Seq2Seq extends Module {
  readonly encoder: Encoder;
  readonly decoder: Encoder;
  readonly attention?: Attention;
  private readonly combine?: Linear;
  private readonly drop: Dropout;
  readonly head: Linear;
  private readonly losses: Losses;
  private pending: { encoded: Encoded; Td: number; B: number } | null = null;

  constructor(ctx: EngineContext, readonly config: Seq2SeqConfig) {
    super(ctx);
    const e = config.encoder;
    if (!("vocabSize" in e.input)) throw new GatedError("seq2seq: the encoder reads tokens (input {vocabSize, embeddingDim})");
    const parts = seq2seqParts(config);
    this.encoder = this.addChild("encoder", new Encoder(ctx, e));
    this.decoder = this.addChild("decoder", new Encoder(ctx, parts.decoder));
    if (parts.attention && parts.combine) {
      this.attention = this.addChild("attention", new Attention(ctx, parts.attention));
      this.combine = this.addChild("combine", new Linear(ctx, parts.combine));
    }
    this.drop = this.addChild("dropout", new Dropout(ctx, config.headDropout));
    this.head = this.addChild("head", new Linear(ctx, parts.head));
    this.losses = new Losses(ctx);
  }

  static shapes(c: Seq2SeqConfig): Shapes {
    const parts = seq2seqParts(c);
    return [
      ...nest("encoder", Encoder.shapes(c.encoder)),
      ...nest("decoder", Encoder.shapes(parts.decoder)),
      ...(parts.attention ? nest("attention", Attention.shapes(parts.attention)) : []),
      ...(parts.combine ? nest("combine", Linear.shapes(parts.combine)) : []),
      ...nest("head", Linear.shapes(parts.head)),
    ];
  }

  /** Logits over the target vocabulary, Td×B×V, for decoder inputs `target` (teacher forcing). */
  forward(source: SequenceBatch, target: SequenceBatch): DeviceTensor {
    return this.attempt(() => {
      if (source.B !== target.B) throw new GatedError(`seq2seq: ${source.B} sources but ${target.B} targets`);
      const encoded = this.encoder.forward(source);
      const logits = this.decode(encoded, target, this.initialState(encoded)).logits;
      this.pending = { encoded, Td: target.T, B: target.B };
      return logits;
    });
  }

  backward(dlogits: number): void {
    const p = this.pending;
    if (!p) throw new GatedError("seq2seq.backward: call forward() first");
    const { Td, B } = p;
    const Hd = this.encoder.width;
    const k = this.ctx.kernels;
    const dh = this.drop.backward(this.head.backward(dlogits)!.ptr);
    let dS = dh;
    let dEnc = 0;
    if (this.attention && this.combine) {
      const dcat = this.combine.backward(dh)!.ptr;
      const dC = this.buffers.get("dC", Td * B * Hd);
      dS = this.buffers.get("dS", Td * B * Hd);
      k.copyRows(Td * B, Hd, dcat, 2 * Hd, dC, Hd);
      k.copyRows(Td * B, Hd, dcat + 4 * Hd, 2 * Hd, dS, Hd);
      const { dq, dk } = this.attention.backward(dC);
      k.add(Td * B * Hd, dS, dq.ptr, dS);
      dEnc = dk.ptr;
    }
    const { dh0, dc0 } = this.decoder.backward({ gOutputs: dS });
    const lstm = this.config.encoder.cell === "lstm";
    this.encoder.backward({
      gOutputs: dEnc,
      dhN: this.encoder.finalStatesBackward(dh0, "h"),
      dcN: lstm ? this.encoder.finalStatesBackward(dc0, "c") : 0,
    });
  }

  /**
   * One training (or evaluation) step on source/target id sequences: the
   * decoder reads <s> y₁ … yₙ and is scored on y₁ … yₙ </s>.
   */
  step(sources: readonly number[][], targets: readonly number[][], train: boolean): StepResult {
    return this.attempt(() => {
      const { input, output } = teacherForcing(targets);
      const logits = this.forward(tokenBatch(sources), input);
      const r = this.losses.crossEntropy(logits, output, IGNORE);
      if (train) this.backward(r.grad.ptr);
      const V = this.config.targetVocabSize;
      const L = logits.data;
      let correct = 0;
      output.forEach((t, i) => {
        if (t === IGNORE) return;
        let best = 0;
        for (let c = 1; c < V; c++) if (L[i * V + c] > L[i * V + best]) best = c;
        if (best === t) correct++;
      });
      return { loss: r.loss, count: r.count, correct };
    });
  }

  /** Greedy decoding of a batch of sources (evaluation mode). */
  translate(sources: readonly number[][], { maxLength = 50 } = {}): Translation[] {
    return this.attempt(() => {
      return this.evaluating(() => {
        const encoded = this.encoder.forward(tokenBatch(sources));
        const B = sources.length;
        const V = this.config.targetVocabSize;
        const results: Translation[] = sources.map(() => ({ ids: [], attention: [], logProb: 0 }));
        const done = new Array<boolean>(B).fill(false);
        let prev = new Array<number>(B).fill(BOS);
        let state = this.initialState(encoded);
        for (let step = 0; step < maxLength && done.includes(false); step++) {
          const r = this.decode(encoded, tokenBatch(prev.map((id) => [id])), state);
          const logits = r.logits.data;
          prev = prev.map((_, b) => {
            const lp = logSoftmax(logits.subarray(b * V, (b + 1) * V));
            const best = lp.reduce((m, v, i) => (v > lp[m] ? i : m), 0);
            if (!done[b]) {
              results[b].logProb += lp[best];
              if (best === EOS) done[b] = true;
              else {
                results[b].ids.push(best);
                if (r.weights) results[b].attention.push(Array.from(r.weights.data.subarray(b * r.weights.shape[2], (b + 1) * r.weights.shape[2])).slice(0, sources[b].length));
              }
            }
            return best;
          });
          state = r.state;
        }
        return results;
      });
    });
  }

  /** Beam search for one source: keeps the `beam` best partial translations, scored by log-probability per token. */
  beamSearch(source: readonly number[], { beam = 4, maxLength = 50 } = {}): Translation {
    return this.attempt(() => {
      if (!(Number.isInteger(beam) && beam >= 1)) throw new GatedError(`beam must be a positive integer, got ${beam}`);
      return this.evaluating(() => {
        const K = beam;
        const Hd = this.encoder.width;
        const L = this.config.encoder.numLayers;
        const V = this.config.targetVocabSize;
        const k = this.ctx.kernels;
        // Encode once, then copy the encoder's outputs and states for each beam.
        const one = this.encoder.forward(tokenBatch([source]));
        const Ts = source.length;
        const keys = this.buffers.get("beamKeys", Ts * K * Hd);
        for (let b = 0; b < K; b++) k.copyRows(Ts, Hd, one.outputs.ptr, Hd, keys + 4 * b * Hd, K * Hd);
        const lengths = this.buffers.get("beamLengths", K);
        this.ctx.heap.i32.fill(Ts, lengths >> 2, (lengths >> 2) + K);
        const encoded: Encoded = { outputs: new DeviceTensor(this.ctx, keys, [Ts, K, Hd]), run: one.run, lengths };
        const init = this.initialState(one);
        const lstm = this.config.encoder.cell === "lstm";
        const stateBuf = { h: this.buffers.get("beamH", L * K * Hd), c: lstm ? this.buffers.get("beamC", L * K * Hd) : 0 };
        const spread = (dst: number, src: number, parents: number[], srcB: number) => {
          for (let l = 0; l < L; l++) {
            parents.forEach((p, b) => k.copyRows(1, Hd, src + 4 * (l * srcB + p) * Hd, Hd, dst + 4 * (l * K + b) * Hd, Hd));
          }
        };
        spread(stateBuf.h, init.h0, new Array(K).fill(0), 1);
        if (lstm) spread(stateBuf.c, init.c0, new Array(K).fill(0), 1);

        interface Hyp {
          ids: number[];
          attention: number[][];
          logProb: number;
          done: boolean;
        }
        let beams: Hyp[] = [{ ids: [], attention: [], logProb: 0, done: false }];
        const score = (h: Hyp) => h.logProb / (h.ids.length + 1);
        for (let step = 0; step < maxLength && beams.some((h) => !h.done); step++) {
          const last = Array.from({ length: K }, (_, b) => (beams[b] ? (beams[b].ids.at(-1) ?? BOS) : BOS));
          const r = this.decode(encoded, tokenBatch(last.map((id) => [id])), { h0: stateBuf.h, c0: stateBuf.c });
          const candidates: { hyp: Hyp; parent: number }[] = [];
          beams.forEach((h, b) => {
            if (h.done) {
              candidates.push({ hyp: h, parent: b });
              return;
            }
            const lp = logSoftmax(r.logits.data.subarray(b * V, (b + 1) * V));
            const att = r.weights ? Array.from(r.weights.data.subarray(b * Ts, (b + 1) * Ts)) : null;
            const top = Array.from(lp.keys()).sort((x, y) => lp[y] - lp[x]).slice(0, K);
            for (const id of top) {
              const done = id === EOS;
              candidates.push({
                hyp: { ids: done ? h.ids : [...h.ids, id], attention: done || !att ? h.attention : [...h.attention, att], logProb: h.logProb + lp[id], done },
                parent: b,
              });
            }
          });
          candidates.sort((x, y) => score(y.hyp) - score(x.hyp));
          const kept = candidates.slice(0, K);
          beams = kept.map((c) => c.hyp);
          const parents = kept.map((c) => c.parent);
          spread(stateBuf.h, r.state.h0, parents, K);
          if (lstm) spread(stateBuf.c, r.state.c0, parents, K);
        }
        const best = beams.reduce((a, b) => (score(b) > score(a) ? b : a));
        return { ids: best.ids, attention: best.attention, logProb: best.logProb };
      });
    });
  }

  /** The decoder's initial states from the encoder's merged final states. */
  private initialState(encoded: Encoded): { h0: number; c0: number } {
    const lstm = this.config.encoder.cell === "lstm";
    return {
      h0: this.encoder.finalStates(encoded.run, "h").ptr,
      c0: lstm ? this.encoder.finalStates(encoded.run, "c").ptr : 0,
    };
  }

  /** Decoder, attention and output layer over decoder inputs; returns logits, weights and the decoder's final states. */
  private decode(encoded: Encoded, target: SequenceBatch, state: { h0: number; c0: number }) {
    const { T: Td, B } = target;
    const Hd = this.encoder.width;
    const dec = this.decoder.forward(target, state);
    let h = dec.outputs;
    let weights: DeviceTensor | null = null;
    if (this.attention && this.combine) {
      const att = this.attention.forward(dec.outputs, encoded.outputs, encoded.lengths);
      weights = att.weights;
      const cat = this.buffers.get("cat", Td * B * 2 * Hd);
      this.ctx.kernels.copyRows(Td * B, Hd, att.context.ptr, Hd, cat, 2 * Hd);
      this.ctx.kernels.copyRows(Td * B, Hd, dec.outputs.ptr, Hd, cat + 4 * Hd, 2 * Hd);
      h = this.combine.forward(cat, Td * B, [Td, B]);
    }
    const d = this.drop.forward(h);
    const logits = this.head.forward(d.ptr, Td * B, [Td, B]);
    return { logits, weights, state: { h0: dec.run.hN.ptr, c0: dec.run.cN?.ptr ?? 0 } };
  }

  override dispose(): void {
    super.dispose();
    this.losses.dispose();
    this.pending = null;
  }
}

/** Decoder inputs <s> y₁ … yₙ and targets y₁ … yₙ </s> (IGNORE past each length), time-major. */
export function teacherForcing(targets: readonly number[][]): { input: SequenceBatch; output: Int32Array } {
  const input = tokenBatch(targets.map((t) => [BOS, ...t]));
  const output = new Int32Array(input.T * input.B).fill(IGNORE);
  targets.forEach((t, b) => [...t, EOS].forEach((id, i) => (output[i * input.B + b] = id)));
  return { input, output };
}

/**
 * The decoder (the encoder's settings over the target vocabulary, as wide as
 * the encoder's merged states, forward only), the attention and its
 * combining layer when there is attention, and the output layer.
 */
function seq2seqParts(c: Seq2SeqConfig): { decoder: EncoderConfig; attention?: AttentionOptions; combine?: LinearOptions; head: LinearOptions } {
  const Hd = Encoder.widthOf(c.encoder);
  return {
    decoder: { ...c.encoder, input: { vocabSize: c.targetVocabSize, embeddingDim: c.targetEmbeddingDim }, hiddenSize: Hd, bidirectional: false },
    ...(c.attention === "none"
      ? {}
      : {
          attention: { score: c.attention, querySize: Hd, keySize: Hd, attentionSize: c.attentionSize },
          combine: { inFeatures: 2 * Hd, outFeatures: Hd, activation: "tanh" as const },
        }),
    head: { inFeatures: Hd, outFeatures: c.targetVocabSize },
  };
}

// Many-to-one: a sequence in, one label out (sentiment, topic). The encoder's
// outputs are pooled over time — its last state ("último paso"), the mean
// ("promedio") or the maximum over real steps — then dropout and a linear
// head give class logits: softmax cross-entropy for two or more classes, or
// a single logit with binary cross-entropy.

import { softmax } from "./softmax.ts";
import { GatedError } from "../errors.ts";
import type { EngineContext } from "../layers/context.ts";
import { DeviceTensor } from "../layers/device.ts";
import type { RunResult } from "../layers/recurrent.ts";
import type { FloatArray } from "../memory/heap.ts";
import { Dropout } from "../layers/dropout.ts";
import { Linear, type LinearOptions } from "../layers/linear.ts";
import { Losses } from "../layers/losses.ts";
import { Module, nest, type Shapes } from "../layers/module.ts";
import { Pool } from "../layers/pool.ts";
import { checkIndices } from "../layers/indices.ts";
import type { SequenceBatch } from "./batch.ts";
import { Encoder, type EncoderConfig } from "./encoder.ts";

/** How the encoder's steps become one vector. */
export const POOLINGS = ["last", "mean", "max"] as const;
export type Pooling = (typeof POOLINGS)[number];

export interface ClassifierConfig extends EncoderConfig {
  type: "classifier";
  pooling: Pooling;
  /** Dropout before the head. */
  headDropout: number;
  /** Number of classes; 1 means a binary task with one logit and binary cross-entropy. */
  classes: number;
}

export interface StepResult {
  /** Mean loss over counted items. */
  loss: number;
  /** Items the loss counted (sequences, tokens, …). */
  count: number;
  /** Correct predictions among them, where accuracy applies. */
  correct?: number;
}

export class SequenceClassifier extends Module {
  readonly encoder: Encoder;
  private readonly pool?: Pool;
  private readonly drop: Dropout;
  readonly head: Linear;
  private readonly losses: Losses;
  private B = 0;

  constructor(ctx: EngineContext, readonly config: ClassifierConfig) {
    super(ctx);
    if (!Number.isInteger(config.classes) || config.classes < 1) throw new GatedError(`classifier: classes must be a positive integer, got ${config.classes}`);
    this.encoder = this.addChild("encoder", new Encoder(ctx, config));
    if (config.pooling !== "last") this.pool = this.addChild("pool", new Pool(ctx, config.pooling));
    this.drop = this.addChild("dropout", new Dropout(ctx, config.headDropout));
    this.head = this.addChild("head", new Linear(ctx, classifierHead(config)));
    this.losses = new Losses(ctx);
  }

  static shapes(c: ClassifierConfig): Shapes {
    return [...nest("encoder", Encoder.shapes(c)), ...nest("head", Linear.shapes(classifierHead(c)))];
  }

  /** Class logits, B×classes. */
  forward(batch: SequenceBatch): DeviceTensor {
    return this.attempt(() => {
      const enc = this.encoder.forward(batch);
      this.B = batch.B;
      const pooled = this.pool ? this.pool.forward(enc.outputs, enc.lengths) : this.lastState(enc.run);
      const h = this.drop.forward(pooled);
      return this.head.forward(h.ptr, batch.B);
    });
  }

  backward(dlogits: number): void {
    const dh = this.drop.backward(this.head.backward(dlogits)!.ptr);
    if (this.pool) this.encoder.backward({ gOutputs: this.pool.backward(dh).ptr });
    else this.encoder.backward({ dhN: this.lastStateBackward(dh, this.B) });
  }

  /** The last layer's merged final state, B×width. */
  private lastState(run: RunResult): DeviceTensor {
    const states = this.encoder.finalStates(run);
    const [L, B, W] = states.shape;
    return new DeviceTensor(this.ctx, states.ptr + 4 * (L - 1) * B * W, [B, W]);
  }

  private lastStateBackward(dh: number, B: number): number {
    const L = this.config.numLayers;
    const W = this.encoder.width;
    const g = this.buffers.get("dstates", L * B * W);
    this.ctx.kernels.fill(L * B * W, g, 0);
    this.ctx.kernels.copyRows(1, B * W, dh, B * W, g + 4 * (L - 1) * B * W, B * W);
    return this.encoder.finalStatesBackward(g);
  }

  /** Forward, loss and (when training) backward for labels 0..classes−1; gradients accumulate. */
  step(batch: SequenceBatch, labels: readonly number[], train: boolean): StepResult {
    return this.attempt(() => {
      const C = this.config.classes;
      if (!labels || labels.length !== batch.B) throw new GatedError(`classifier: ${labels?.length ?? 0} labels for ${batch.B} sequences`);
      checkIndices(labels, { where: "classifier", name: (b) => `the label of sequence ${b}`, min: 0, max: Math.max(1, C - 1) });
      const logits = this.forward(batch);
      const r = C === 1 ? this.losses.bceWithLogits(logits, labels) : this.losses.crossEntropy(logits, labels);
      if (train) this.backward(r.grad.ptr);
      const predicted = this.argmax(logits);
      const correct = predicted.reduce((n, p, b) => n + (p === labels[b] ? 1 : 0), 0);
      return { loss: r.loss, count: batch.B, correct };
    });
  }

  /** Class probabilities per sequence. */
  predict(batch: SequenceBatch): number[][] {
    return this.attempt(() => {
      return this.evaluating(() => this.probabilities(this.forward(batch).data, batch.B));
    });
  }

  private probabilities(logits: FloatArray, B: number): number[][] {
    const C = this.config.classes;
    return Array.from({ length: B }, (_, b) => {
      if (C === 1) return [1 / (1 + Math.exp(-logits[b]))];
      return softmax(logits.subarray(b * C, (b + 1) * C));
    });
  }

  private argmax(logits: DeviceTensor): number[] {
    const C = this.config.classes;
    const L = logits.data;
    const B = logits.shape[0];
    return Array.from({ length: B }, (_, b) => {
      if (C === 1) return L[b] > 0 ? 1 : 0;
      let best = 0;
      for (let c = 1; c < C; c++) if (L[b * C + c] > L[b * C + best]) best = c;
      return best;
    });
  }

  override dispose(): void {
    super.dispose();
    this.losses.dispose();
  }
}

const classifierHead = (c: ClassifierConfig): LinearOptions => ({ inFeatures: Encoder.widthOf(c), outFeatures: c.classes });

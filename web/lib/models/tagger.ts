// Many-to-many, aligned: one output per input step. With a softmax head it
// tags tokens or, with next-token targets, is a language model that can
// generate; with a regression head it forecasts a series step by step.
// Padding steps count for nothing (ignored targets, masked squared error).

import { GatedError } from "../errors.ts";
import type { EngineContext } from "../layers/context.ts";
import type { DeviceTensor } from "../layers/device.ts";
import { Dropout } from "../layers/dropout.ts";
import { Linear, type LinearOptions } from "../layers/linear.ts";
import { Losses } from "../layers/losses.ts";
import { Module, nest, type Shapes } from "../layers/module.ts";
import type { RunResult } from "../layers/recurrent.ts";
import type { Random } from "../util/random.ts";
import type { FloatArray } from "../memory/heap.ts";
import { BOS, EOS } from "../text/vocab.ts";
import { type SequenceBatch, tokenBatch } from "./batch.ts";
import type { StepResult } from "./classifier.ts";
import { Encoder, type EncoderConfig } from "./encoder.ts";
import { checkSampling, drawable, type SamplingOptions, sampleToken } from "./sampling.ts";

export const IGNORE = -100;

export interface TaggerConfig extends EncoderConfig {
  type: "tagger";
  headDropout: number;
  /** "softmax": classes per step (tags, next tokens); "regression": values per step, squared error. */
  head: "softmax" | "regression";
  /** Classes (softmax) or values (regression) per step. */
  outputs: number;
}

export interface GenerateOptions extends SamplingOptions {
  /** Tokens to start from (after the start token). */
  prefix?: number[];
  maxLength?: number;
  /** Sees each step's logits and the token chosen from them (the end token included). */
  onStep?: (logits: FloatArray, chosen: number) => void;
}

export class SequenceTagger extends Module {
  readonly encoder: Encoder;
  private readonly drop: Dropout;
  readonly head: Linear;
  private readonly losses: Losses;

  constructor(ctx: EngineContext, readonly config: TaggerConfig) {
    super(ctx);
    this.encoder = this.addChild("encoder", new Encoder(ctx, config));
    this.drop = this.addChild("dropout", new Dropout(ctx, config.headDropout));
    this.head = this.addChild("head", new Linear(ctx, taggerHead(config)));
    this.losses = new Losses(ctx);
  }

  static shapes(c: TaggerConfig): Shapes {
    return [...nest("encoder", Encoder.shapes(c)), ...nest("head", Linear.shapes(taggerHead(c)))];
  }

  /** Outputs per step, T×B×outputs; `state` continues from an earlier run's final states. */
  forward(batch: SequenceBatch, state: { h0?: number; c0?: number } = {}): { out: DeviceTensor; run: RunResult } {
    return this.attempt(() => {
      const enc = this.encoder.forward(batch, state);
      const h = this.drop.forward(enc.outputs);
      return { out: this.head.forward(h.ptr, batch.T * batch.B, [batch.T, batch.B]), run: enc.run };
    });
  }

  backward(dout: number): void {
    const dh = this.drop.backward(this.head.backward(dout)!.ptr);
    this.encoder.backward({ gOutputs: dh });
  }

  /**
   * Forward, loss and (when training) backward. targets: T×B class ids
   * (IGNORE at padding) for softmax, or T×B×outputs values for regression.
   */
  step(batch: SequenceBatch, targets: ArrayLike<number>, train: boolean, state: { h0?: number; c0?: number } = {}): StepResult & { run: RunResult } {
    return this.attempt(() => {
      const { out, run } = this.forward(batch, state);
      if (this.config.head === "regression") {
        const r = this.maskedSquaredError(out, targets, batch);
        if (train) this.backward(r.grad);
        return { loss: r.loss, count: r.count, run };
      }
      const r = this.losses.crossEntropy(out, targets, IGNORE);
      if (train) this.backward(r.grad.ptr);
      const C = this.config.outputs;
      const L = out.data;
      let correct = 0;
      for (let i = 0; i < targets.length; i++) {
        if (targets[i] === IGNORE) continue;
        let best = 0;
        for (let c = 1; c < C; c++) if (L[i * C + c] > L[i * C + best]) best = c;
        if (best === targets[i]) correct++;
      }
      return { loss: r.loss, count: r.count, correct, run };
    });
  }

  /** Squared error over real steps only: padding rows get zero gradient. */
  private maskedSquaredError(out: DeviceTensor, targets: ArrayLike<number>, batch: SequenceBatch) {
    const K = this.config.outputs;
    const { T, B, lengths } = batch;
    const masked = Float32Array.from(targets);
    const data = out.data;
    let count = 0;
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const row = (t * B + b) * K;
        if (t < lengths[b]) count += K;
        else for (let k = 0; k < K; k++) masked[row + k] = data[row + k];
      }
    }
    const r = this.losses.meanSquaredError(out, masked);
    // meanSquaredError divides by every element; rescale to the real ones.
    const scale = (T * B * K) / count;
    this.ctx.kernels.scale(r.grad.size, r.grad.ptr, scale);
    return { loss: r.loss * scale, count, grad: r.grad.ptr };
  }

  /**
   * Language-model generation: from the start token (and a prefix), sample
   * one token at a time until the end token or maxLength, carrying the state.
   */
  generate(rng: Random, { prefix = [], maxLength = 50, onStep, ...sampling }: GenerateOptions = {}): number[] {
    return this.attempt(() => {
      if (this.config.bidirectional) throw new GatedError("a bidirectional model cannot generate: it would need the future");
      if (this.config.head !== "softmax") throw new GatedError("generation needs a softmax head");
      checkSampling(sampling);
      return this.evaluating(() => {
        const out: number[] = [...prefix];
        let { out: logits, run } = this.forward(tokenBatch([[BOS, ...prefix]]));
        const C = this.config.outputs;
        for (let i = prefix.length; i < maxLength; i++) {
          const T = logits.shape[0];
          const row = drawable(logits.data.subarray((T - 1) * C, T * C));
          const next = sampleToken(row, rng, sampling);
          onStep?.(row, next);
          if (next === EOS) break;
          out.push(next);
          ({ out: logits, run } = this.forward(tokenBatch([[next]]), { h0: run.hN.ptr, c0: run.cN?.ptr }));
        }
        return out;
      });
    });
  }

  override dispose(): void {
    super.dispose();
    this.losses.dispose();
  }
}

const taggerHead = (c: TaggerConfig): LinearOptions => ({ inFeatures: Encoder.widthOf(c), outFeatures: c.outputs });

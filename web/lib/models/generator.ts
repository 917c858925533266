// One-to-many: a vector in, a sequence out (the seeds' image captioning and
// music generation). The condition vector sets the decoder's initial state,
// h0 = tanh(W c + b) for every layer; the decoder is trained with teacher
// forcing and generates by sampling one token at a time.

import { GatedError } from "../errors.ts";
import type { EngineContext } from "../layers/context.ts";
import type { DeviceTensor } from "../layers/device.ts";
import { Dropout } from "../layers/dropout.ts";
import { Linear, type LinearOptions } from "../layers/linear.ts";
import { Losses } from "../layers/losses.ts";
import { Module, nest, type Shapes } from "../layers/module.ts";
import { countNonFinite } from "../tensor.ts";
import type { Random } from "../util/random.ts";
import type { FloatArray } from "../memory/heap.ts";
import { BOS, EOS } from "../text/vocab.ts";
import { type SequenceBatch, tokenBatch } from "./batch.ts";
import type { StepResult } from "./classifier.ts";
import { Encoder, type EncoderConfig } from "./encoder.ts";
import { checkSampling, drawable, type SamplingOptions, sampleToken } from "./sampling.ts";
import { teacherForcing } from "./seq2seq.ts";
import { IGNORE } from "./tagger.ts";

export interface GeneratorConfig {
  type: "generator";
  /** Width of the condition vector. */
  conditionSize: number;
  /** The decoder: token input (vocabulary, embedding), unidirectional. */
  decoder: EncoderConfig;
  headDropout: number;
}

export class SequenceGenerator extends Module {
  readonly bridge: Linear;
  readonly decoder: Encoder;
  private readonly drop: Dropout;
  readonly head: Linear;
  private readonly losses: Losses;
  private B = 0;

  constructor(ctx: EngineContext, readonly config: GeneratorConfig) {
    super(ctx);
    const d = config.decoder;
    if (!("vocabSize" in d.input) || d.bidirectional) throw new GatedError("generator: the decoder reads tokens and runs forward only");
    const parts = generatorParts(config);
    this.bridge = this.addChild("bridge", new Linear(ctx, parts.bridge));
    this.decoder = this.addChild("decoder", new Encoder(ctx, d));
    this.drop = this.addChild("dropout", new Dropout(ctx, config.headDropout));
    this.head = this.addChild("head", new Linear(ctx, parts.head));
    this.losses = new Losses(ctx);
  }

  static shapes(c: GeneratorConfig): Shapes {
    const parts = generatorParts(c);
    return [...nest("bridge", Linear.shapes(parts.bridge)), ...nest("decoder", Encoder.shapes(c.decoder)), ...nest("head", Linear.shapes(parts.head))];
  }

  private get vocabSize(): number {
    return (this.config.decoder.input as { vocabSize: number }).vocabSize;
  }

  /** h0 [L, B, H] from B condition vectors (the bridge's B×L·H rows regrouped by layer). */
  private initialState(conditions: readonly (readonly number[])[]): number {
    const { conditionSize: F } = this.config;
    const { hiddenSize: H, numLayers: L } = this.config.decoder;
    const B = conditions.length;
    const c = this.buffers.get("conditions", B * F);
    conditions.forEach((v, b) => {
      if (v?.length !== F) throw new GatedError(`generator: condition ${b} has ${v?.length ?? 0} values, expected ${F}`);
      if (countNonFinite(v)) throw new GatedError(`generator: condition ${b} holds NaN or infinite values`);
      this.ctx.heap.f.set(v, (c >> 2) + b * F);
    });
    const out = this.bridge.forward(c, B);
    const h0 = this.buffers.get("h0", L * B * H);
    for (let l = 0; l < L; l++) this.ctx.kernels.copyRows(B, H, out.ptr + 4 * l * H, L * H, h0 + 4 * l * B * H, H);
    this.B = B;
    return h0;
  }

  forward(conditions: readonly (readonly number[])[], target: SequenceBatch): DeviceTensor {
    return this.attempt(() => {
      if (conditions?.length !== target.B) throw new GatedError(`generator: ${conditions?.length ?? 0} conditions for ${target.B} target sequences`);
      const dec = this.decoder.forward(target, { h0: this.initialState(conditions) });
      const d = this.drop.forward(dec.outputs);
      return this.head.forward(d.ptr, target.T * target.B, [target.T, target.B]);
    });
  }

  backward(dlogits: number): void {
    const { hiddenSize: H, numLayers: L } = this.config.decoder;
    const B = this.B;
    const { dh0 } = this.decoder.backward({ gOutputs: this.drop.backward(this.head.backward(dlogits)!.ptr) });
    const dout = this.buffers.get("dbridge", B * L * H);
    for (let l = 0; l < L; l++) this.ctx.kernels.copyRows(B, H, dh0 + 4 * l * B * H, H, dout + 4 * l * H, L * H);
    this.bridge.backward(dout, { inputGrad: false });
  }

  step(conditions: readonly (readonly number[])[], targets: readonly number[][], train: boolean): StepResult {
    return this.attempt(() => {
      const { input, output } = teacherForcing(targets);
      const logits = this.forward(conditions, input);
      const r = this.losses.crossEntropy(logits, output, IGNORE);
      if (train) this.backward(r.grad.ptr);
      return { loss: r.loss, count: r.count };
    });
  }

  /** Samples a sequence for one condition vector. */
  generate(condition: readonly number[], rng: Random, { maxLength = 50, onStep, ...sampling }: SamplingOptions & { maxLength?: number; onStep?: (logits: FloatArray, chosen: number) => void } = {}): number[] {
    return this.attempt(() => {
      checkSampling(sampling);
      return this.evaluating(() => {
        const V = this.vocabSize;
        const out: number[] = [];
        let h0 = this.initialState([condition]);
        let c0 = 0;
        let prev = BOS;
        for (let i = 0; i < maxLength; i++) {
          const dec = this.decoder.forward(tokenBatch([[prev]]), { h0, c0 });
          const logits = drawable(this.head.forward(dec.outputs.ptr, 1).data.subarray(0, V));
          const next = sampleToken(logits, rng, sampling);
          onStep?.(logits, next);
          if (next === EOS) break;
          out.push(next);
          prev = next;
          h0 = dec.run.hN.ptr;
          c0 = dec.run.cN?.ptr ?? 0;
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

/** The condition-to-state bridge (h0 of every layer from one vector) and the output layer. */
function generatorParts({ conditionSize, decoder: d }: GeneratorConfig): { bridge: LinearOptions; head: LinearOptions } {
  return {
    bridge: { inFeatures: conditionSize, outFeatures: d.numLayers * d.hiddenSize, activation: "tanh" },
    head: { inFeatures: d.hiddenSize, outFeatures: (d.input as { vocabSize: number }).vocabSize },
  };
}

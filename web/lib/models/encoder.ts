// The part every sequence model starts with: the input (token embeddings or
// numeric features), a recurrent stack, and the merge of a bidirectional
// stack's two directions. It runs a batch once and backpropagates gradients
// of its merged outputs and of its final states.

import { GatedError } from "../errors.ts";
import type { EngineContext } from "../layers/context.ts";
import { DeviceTensor } from "../layers/device.ts";
import { Embedding, type EmbeddingOptions } from "../layers/embedding.ts";
import { Merge, type MergeMode } from "../layers/merge.ts";
import { Module, nest, type Shapes } from "../layers/module.ts";
import { Recurrent, type RecurrentInit, type RecurrentKind, type RecurrentOptions, type RunResult } from "../layers/recurrent.ts";
import { PAD, UNK } from "../text/vocab.ts";
import { checkBatch, type SequenceBatch } from "./batch.ts";

export interface EncoderConfig {
  /** Token input (vocabulary size and embedding width) or numeric features per step. */
  input: { vocabSize: number; embeddingDim: number } | { features: number };
  cell: RecurrentKind;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  /** How a bidirectional stack's directions combine: concat (2H wide), sum, mean or mul. */
  merge: MergeMode;
  /** Dropout between recurrent layers. */
  dropout: number;
  /** Variational dropout of the recurrent state. */
  recurrentDropout: number;
  /** In training, the share of input tokens replaced by <unk> (word dropout), so the unknown-word vector learns too. */
  wordDropout?: number;
  nonlinearity?: "tanh" | "relu";
  resetAfter?: boolean;
  init?: RecurrentInit;
}

export interface Encoded {
  /** Merged outputs, T×B×width. */
  outputs: DeviceTensor;
  run: RunResult;
  /** i32[B] lengths in engine memory. */
  lengths: number;
}

export class Encoder extends Module {
  readonly embedding?: Embedding;
  readonly rnn: Recurrent;
  /** One merge per use, since each keeps its own input and output until backward. */
  private readonly merges: Record<"out" | "h" | "c", Merge>;
  private batch: SequenceBatch | null = null;

  constructor(ctx: EngineContext, readonly config: EncoderConfig) {
    super(ctx);
    const c = config;
    const embedding = embeddingOptions(c);
    if (embedding) this.embedding = this.addChild("embedding", new Embedding(ctx, embedding));
    this.rnn = this.addChild("rnn", new Recurrent(ctx, c.cell, recurrentOptions(c)));
    const mode = c.bidirectional ? c.merge : "concat";
    this.merges = {
      out: this.addChild("merge", new Merge(ctx, mode)),
      h: this.addChild("hmerge", new Merge(ctx, mode)),
      c: this.addChild("cmerge", new Merge(ctx, mode)),
    };
  }

  /** Width of the merged outputs and of the merged final state. */
  get width(): number {
    return Encoder.widthOf(this.config);
  }

  static widthOf(c: EncoderConfig): number {
    return c.bidirectional && c.merge === "concat" ? 2 * c.hiddenSize : c.hiddenSize;
  }

  static shapes(c: EncoderConfig): Shapes {
    const embedding = embeddingOptions(c);
    return [...(embedding ? nest("embedding", Embedding.shapes(embedding)) : []), ...nest("rnn", Recurrent.shapes(c.cell, recurrentOptions(c)))];
  }

  forward(batch: SequenceBatch, state: { h0?: number; c0?: number } = {}): Encoded {
    checkBatch(batch, this.config.input);
    const { T, B } = batch;
    const heap = this.ctx.heap;
    const lengths = this.buffers.get("lengths", B);
    heap.i32.set(batch.lengths, lengths >> 2);
    let x: number;
    if (this.embedding) {
      const ids = this.buffers.get("ids", T * B);
      heap.i32.set(batch.ids!, ids >> 2);
      if (this.training && this.config.wordDropout) this.dropWords(ids, T * B);
      x = this.embedding.forward(ids, T * B, [T, B]).ptr;
    } else {
      const F = (this.config.input as { features: number }).features;
      x = this.buffers.get("features", T * B * F);
      heap.f.set(batch.features!, x >> 2);
      const bad = this.ctx.kernels.countNonFinite(T * B * F, x);
      if (bad) throw new GatedError(`batch: the features hold ${bad} NaN or infinite values`);
    }
    const run = this.rnn.run(x, T, B, { lengths, ...state });
    this.batch = batch;
    return { outputs: this.config.bidirectional ? this.merges.out.forward(run.output) : run.output, run, lengths };
  }

  /** Replaces a share of the ids (not padding) by <unk>, drawing from the engine's dropout generator (so checkpoints and workers repeat it). */
  private dropWords(ids: number, n: number): void {
    const mask = this.buffers.get("wordMask", n);
    this.ctx.kernels.dropoutMask(n, this.ctx.rngState, mask, this.config.wordDropout!);
    const heap = this.ctx.heap;
    const m = heap.f.subarray(mask >> 2, (mask >> 2) + n);
    const id = heap.i32.subarray(ids >> 2, (ids >> 2) + n);
    for (let i = 0; i < n; i++) if (m[i] === 0 && id[i] !== PAD) id[i] = UNK;
  }

  /** gOutputs: gradient of the merged outputs (T×B×width) or 0; dhN, dcN: of the final states or 0. Returns dh0, dc0 pointers. */
  backward({ gOutputs = 0, dhN = 0, dcN = 0 }: { gOutputs?: number; dhN?: number; dcN?: number }): { dh0: number; dc0: number } {
    const gout = gOutputs && this.config.bidirectional ? this.merges.out.backward(gOutputs) : gOutputs;
    // Numeric inputs are data: their gradient is not needed.
    const g = this.rnn.runBackward({ gout, dhN, dcN, inputGrad: !!this.embedding });
    if (this.embedding) this.embedding.backward(g.dx!.ptr);
    return { dh0: g.dh0.ptr, dc0: g.dc0?.ptr ?? 0 };
  }

  /** Each layer's final state with its directions side by side, then merged: L×B×width. */
  finalStates(run: RunResult, which: "h" | "c" = "h"): DeviceTensor {
    const { hiddenSize: H, numLayers: L, bidirectional } = this.config;
    const src = which === "h" ? run.hN : run.cN!;
    if (!bidirectional) return src;
    const B = src.shape[1];
    const side = this.buffers.get(`side${which}`, L * B * 2 * H);
    for (let l = 0; l < L; l++) {
      for (let d = 0; d < 2; d++) this.ctx.kernels.copyRows(B, H, src.ptr + 4 * (l * 2 + d) * B * H, H, side + 4 * (l * B * 2 * H + d * H), 2 * H);
    }
    return this.merges[which].forward(new DeviceTensor(this.ctx, side, [L, B, 2 * H]));
  }

  /** The gradient of finalStates(which) (L×B×width) as a gradient of the final states ([L·D, B, H]). */
  finalStatesBackward(g: number, which: "h" | "c" = "h"): number {
    const { hiddenSize: H, numLayers: L, bidirectional } = this.config;
    if (!bidirectional) return g;
    const B = this.batch!.B;
    const dside = this.merges[which].backward(g);
    const dN = this.buffers.get(`d${which}N`, L * 2 * B * H);
    for (let l = 0; l < L; l++) {
      for (let d = 0; d < 2; d++) this.ctx.kernels.copyRows(B, H, dside + 4 * (l * B * 2 * H + d * H), 2 * H, dN + 4 * (l * 2 + d) * B * H, H);
    }
    return dN;
  }
}

function embeddingOptions(c: EncoderConfig): EmbeddingOptions | null {
  return "vocabSize" in c.input ? { numEmbeddings: c.input.vocabSize, embeddingDim: c.input.embeddingDim, paddingIdx: PAD } : null;
}

function recurrentOptions(c: EncoderConfig): RecurrentOptions {
  return {
    inputSize: "features" in c.input ? c.input.features : c.input.embeddingDim, hiddenSize: c.hiddenSize, numLayers: c.numLayers,
    bidirectional: c.bidirectional, dropout: c.dropout, recurrentDropout: c.recurrentDropout, init: c.init,
    ...(c.cell === "rnn" ? { nonlinearity: c.nonlinearity ?? "tanh" } : {}),
    ...(c.cell === "gru" ? { resetAfter: c.resetAfter ?? true } : {}),
  };
}

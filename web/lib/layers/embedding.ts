// Token embeddings (torch.nn.Embedding): rows of a [vocab, dim] weight looked
// up by id; the padding row, if any, starts at zero and never learns.

import { onlyKeys } from "../util/check.ts";
import { GatedError } from "../errors.ts";
import { Random } from "../util/random.ts";
import type { EngineContext } from "./context.ts";
import { DeviceTensor } from "./device.ts";
import { checkIndices, timeMajor } from "./indices.ts";
import { Module, type Shapes } from "./module.ts";
import type { Parameter } from "./parameter.ts";

export interface EmbeddingOptions {
  numEmbeddings: number;
  embeddingDim: number;
  paddingIdx?: number;
  seed?: number;
}

export class Embedding extends Module {
  readonly weight: Parameter;
  private ids = 0;
  private count = 0;

  constructor(ctx: EngineContext, readonly options: EmbeddingOptions) {
    super(ctx);
    onlyKeys(options, ["numEmbeddings", "embeddingDim", "paddingIdx", "seed"], "embedding's options");
    const { numEmbeddings: V, embeddingDim: D, paddingIdx } = options;
    if (!Number.isInteger(V) || V < 1 || !Number.isInteger(D) || D < 1) {
      throw new GatedError(`embedding: numEmbeddings and embeddingDim must be positive integers, got ${V} and ${D}`);
    }
    if (paddingIdx !== undefined && !(Number.isInteger(paddingIdx) && paddingIdx >= 0 && paddingIdx < V)) {
      throw new GatedError(`embedding: paddingIdx must be an id in [0, ${V}), got ${paddingIdx}`);
    }
    this.weight = this.addParameters(Embedding.shapes(options)).weight;
    // PyTorch's default: standard normal, padding row zero.
    const rng = options.seed === undefined ? ctx.random.fork() : new Random(options.seed);
    const values = Float64Array.from({ length: V * D }, () => rng.normal());
    if (paddingIdx !== undefined) values.fill(0, paddingIdx * D, (paddingIdx + 1) * D);
    ctx.heap.f.set(values, this.weight.value >> 2);
  }

  static shapes({ numEmbeddings, embeddingDim }: EmbeddingOptions): Shapes {
    return [["weight", [numEmbeddings, embeddingDim]]];
  }

  /**
   * Embeds n ids (an i32 pointer, kept until backward) into n rows of
   * embeddingDim. `shape` gives the ids' layout: [T, B] (time-major) names a
   * bad id by step and sequence.
   */
  forward(ids: number, n: number, shape: number[] = [n]): DeviceTensor {
    const { numEmbeddings: V, embeddingDim: D } = this.options;
    checkIndices(this.ctx.heap.i32.subarray(ids >> 2, (ids >> 2) + n), {
      where: "embedding", name: shape.length === 2 ? timeMajor(shape[1]) : (i) => `token ${i}`, min: 0, max: V - 1,
    });
    const out = this.buffers.get("out", n * D);
    this.ctx.kernels.embeddingForward(n, D, ids, this.weight.value, out, D);
    this.ids = ids;
    this.count = n;
    return new DeviceTensor(this.ctx, out, [...shape, D]);
  }

  /** Adds gout (n rows of embeddingDim) into the weight gradient. */
  backward(gout: number): void {
    const { embeddingDim: D, paddingIdx = -1 } = this.options;
    this.ctx.kernels.embeddingBackward(this.count, D, this.ids, gout, D, this.weight.grad, paddingIdx);
  }
}

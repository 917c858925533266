// Attention of decoder states over encoder outputs (see assembly/layers/attention.ts):
// scores "dot" (Luong), "general" (Luong, q·W k) or "additive" (Bahdanau,
// v·tanh(Wq q + Wk k)), softmax over each source's real steps, context Σ α k.
// The weights α stay readable for visualisation until the next call.

import { GatedError } from "../errors.ts";
import { ATTENTION_SCORES } from "../backends/kernels.ts";
import { Random } from "../util/random.ts";
import type { EngineContext } from "./context.ts";
import { DeviceTensor } from "./device.ts";
import { checkLengthsAt } from "./indices.ts";
import { uniform, xavierUniform } from "./init.ts";
import { Module, type Shapes } from "./module.ts";
import type { Parameter } from "./parameter.ts";

export type AttentionScore = keyof typeof ATTENTION_SCORES;

export interface AttentionOptions {
  score: AttentionScore;
  /** Width of the decoder states (queries). */
  querySize: number;
  /** Width of the encoder outputs (keys and values). */
  keySize: number;
  /** Additive only: width of the hidden scoring layer (default querySize). */
  attentionSize?: number;
  seed?: number;
}

interface Pending {
  Td: number;
  Ts: number;
  B: number;
  q: number;
  k: number;
  lengths: number;
}

export class Attention extends Module {
  private readonly W?: Parameter;
  private readonly Wq?: Parameter;
  private readonly Wk?: Parameter;
  private readonly v?: Parameter;
  private readonly A: number;
  private pending: Pending | null = null;

  constructor(ctx: EngineContext, readonly options: AttentionOptions) {
    super(ctx);
    const { score, querySize: Hq, keySize: Hk } = options;
    if (!(score in ATTENTION_SCORES)) throw new GatedError(`attention: score must be "dot", "general" or "additive", got ${String(score)}`);
    if (score === "dot" && Hq !== Hk) throw new GatedError(`attention: dot scores need querySize = keySize, got ${Hq} and ${Hk}`);
    this.A = options.attentionSize ?? Hq;
    const p = this.addParameters(Attention.shapes(options));
    const rng = options.seed === undefined ? ctx.random.fork() : new Random(options.seed);
    const F = ctx.heap.f;
    if (score === "general") {
      this.W = p.weight;
      F.set(xavierUniform(rng, Hq, Hk), this.W.value >> 2);
    }
    if (score === "additive") {
      ({ query_weight: this.Wq, key_weight: this.Wk, v: this.v } = p);
      F.set(xavierUniform(rng, this.A, Hq), this.Wq!.value >> 2);
      F.set(xavierUniform(rng, this.A, Hk), this.Wk!.value >> 2);
      F.set(uniform(rng, this.A, 1 / Math.sqrt(this.A)), this.v!.value >> 2);
    }
  }

  static shapes({ score, querySize: Hq, keySize: Hk, attentionSize }: AttentionOptions): Shapes {
    const A = attentionSize ?? Hq;
    if (score === "general") return [["weight", [Hq, Hk]]];
    if (score === "additive") return [["query_weight", [A, Hq]], ["key_weight", [A, Hk]], ["v", [A]]];
    return [];
  }

  /**
   * q: decoder states [Td, B, Hq]; k: encoder outputs [Ts, B, Hk] (both kept
   * until backward); lengths: i32[B] source lengths pointer or 0.
   * Returns the context [Td, B, Hk] and the weights [B, Td, Ts].
   */
  forward(q: DeviceTensor, k: DeviceTensor, lengths = 0): { context: DeviceTensor; weights: DeviceTensor } {
    const [Td, B, Hq] = q.shape;
    const [Ts, Bk, Hk] = k.shape;
    const { score, querySize, keySize } = this.options;
    if (Hq !== querySize || Hk !== keySize || Bk !== B) {
      throw new GatedError(`attention: queries ${JSON.stringify(q.shape)} and keys ${JSON.stringify(k.shape)} do not fit querySize ${querySize}, keySize ${keySize}`);
    }
    checkLengthsAt(this.ctx.heap.i32, lengths, B, Ts, "attention");
    const buf = this.buffers;
    const A = this.A;
    const alpha = buf.get("alpha", B * Td * Ts);
    const context = buf.get("context", Td * B * Hk);
    this.ctx.kernels.attentionForward(
      Td, Ts, B, Hq, Hk, A, ATTENTION_SCORES[score], q.ptr, Hq, k.ptr, Hk, lengths,
      this.W?.value ?? 0, this.Wq?.value ?? 0, this.Wk?.value ?? 0, this.v?.value ?? 0, alpha, context, Hk,
      ...this.caches(Td, Ts, B), this.work(Td, Ts, B),
    );
    this.pending = { Td, Ts, B, q: q.ptr, k: k.ptr, lengths };
    return { context: new DeviceTensor(this.ctx, context, [Td, B, Hk]), weights: new DeviceTensor(this.ctx, alpha, [B, Td, Ts]) };
  }

  /** From the context's gradient, returns dq [Td, B, Hq] and dk [Ts, B, Hk] and adds the weight gradients. */
  backward(dctx: number): { dq: DeviceTensor; dk: DeviceTensor } {
    const p = this.pending;
    if (!p) throw new GatedError("attention.backward: call forward() first");
    const { Td, Ts, B } = p;
    const { score, querySize: Hq, keySize: Hk } = this.options;
    const A = this.A;
    const k = this.ctx.kernels;
    const buf = this.buffers;
    const dq = buf.get("dq", Td * B * Hq);
    const dk = buf.get("dk", Ts * B * Hk);
    k.fill(Td * B * Hq, dq, 0);
    k.fill(Ts * B * Hk, dk, 0);
    const general = score === "general";
    const additive = score === "additive";
    const [keys, , , th] = this.caches(Td, Ts, B);
    k.attentionBackward(
      Td, Ts, B, Hq, Hk, A, ATTENTION_SCORES[score], p.q, Hq, p.k, Hk, p.lengths,
      this.W?.value ?? 0, this.Wq?.value ?? 0, this.Wk?.value ?? 0, this.v?.value ?? 0,
      buf.get("alpha", B * Td * Ts), dctx, Hk, keys, th, dq, Hq, dk, Hk,
      this.W?.grad ?? 0, this.Wq?.grad ?? 0, this.Wk?.grad ?? 0, this.v?.grad ?? 0,
      general ? buf.get("dkeys", Ts * B * Hq) : 0, additive ? buf.get("dpq", Td * B * A) : 0,
      additive ? buf.get("dpk", Ts * B * A) : 0, buf.get("dalpha", Td * Ts), this.work(Td, Ts, B),
    );
    return { dq: new DeviceTensor(this.ctx, dq, [Td, B, Hq]), dk: new DeviceTensor(this.ctx, dk, [Ts, B, Hk]) };
  }

  /** keys, pq, pk, th for the score in use (0 where unused). */
  private caches(Td: number, Ts: number, B: number): [number, number, number, number] {
    const { score, querySize: Hq } = this.options;
    const A = this.A;
    const buf = this.buffers;
    if (score === "general") return [buf.get("keys", Ts * B * Hq), 0, 0, 0];
    if (score === "additive") return [0, buf.get("pq", Td * B * A), buf.get("pk", Ts * B * A), buf.get("th", B * Td * Ts * A)];
    return [0, 0, 0, 0];
  }

  private work(Td: number, Ts: number, B: number): number {
    const { querySize: Hq, keySize: Hk } = this.options;
    return this.ctx.workspace(this.ctx.kernels.attentionWork(Td, Ts, B, Hq, Hk, this.A));
  }
}

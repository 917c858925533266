// A stacked, optionally bidirectional RNN / LSTM / GRU layer with PyTorch's
// contract: weights named and shaped as torch.nn's state dict, inputs
// [T, B, I] (or [B, T, I] with batchFirst, or unbatched [T, I]), states
// [numLayers·D, B, H], per-sequence lengths with packed-sequence semantics.
// Each direction of each layer is one kernel call forward and one backward.

import { GatedError } from "../errors.ts";
import type { FloatArray } from "../memory/heap.ts";
import { Buffers } from "../memory/region.ts";
import { assertFinite, formatShape, numel, type Tensor, type TensorLike, toTensorLike } from "../tensor.ts";
import type { EngineContext } from "./context.ts";
import { type CellKind, workFloats } from "./cells/kind.ts";
import { lstmCell } from "./cells/lstm.ts";
import { gruCell } from "./cells/gru.ts";
import { rnnCell } from "./cells/rnn.ts";
import { Parameter } from "./parameter.ts";
import { Random } from "../util/random.ts";

export type RecurrentKind = "rnn" | "lstm" | "gru";

export interface RecurrentOptions {
  inputSize: number;
  hiddenSize: number;
  numLayers?: number;
  bidirectional?: boolean;
  batchFirst?: boolean;
  /** Whether the layer has b_ih and b_hh (default true). */
  bias?: boolean;
  /** RNN only: "tanh" (default) or "relu". */
  nonlinearity?: "tanh" | "relu";
  /** GRU only: true (default) is PyTorch's r ⊙ (W_hn h + b_hn); false is Cho et al.'s W_hn (r ⊙ h). */
  resetAfter?: boolean;
  /** Seed of the initial weights; by default drawn from the engine's generator. */
  seed?: number;
}

export type ResolvedOptions = Required<Omit<RecurrentOptions, "seed" | "nonlinearity" | "resetAfter">> &
  Pick<RecurrentOptions, "nonlinearity" | "resetAfter">;

export interface ForwardOptions {
  h0?: TensorLike;
  c0?: TensorLike;
  /** Length of each sequence in the batch, 1..T; steps past it are padding. */
  lengths?: ArrayLike<number>;
}

export interface ForwardResult {
  output: Tensor;
  hN: Tensor;
  cN?: Tensor;
}

export interface BackwardGrads {
  gradOutput?: TensorLike;
  gradHN?: TensorLike;
  gradCN?: TensorLike;
}

export interface BackwardResult {
  gradX: Tensor;
  gradH0: Tensor;
  gradC0?: Tensor;
  grads: Record<string, Tensor>;
}

/** What another engine over the same memory needs to run this layer on the same weights. */
export interface RecurrentDescriptor {
  kind: RecurrentKind;
  options: ResolvedOptions;
  weights: Record<string, number>;
}

interface Pending {
  T: number;
  B: number;
  unbatched: boolean;
  lengths: boolean;
}

interface DirectionWeights {
  wih: Parameter;
  whh: Parameter;
  bih?: Parameter;
  bhh?: Parameter;
}

export class Recurrent {
  readonly options: ResolvedOptions;
  private readonly cell: CellKind;
  private readonly params: Parameter[] = [];
  private readonly weights: DirectionWeights[][] = [];
  private readonly owned: number[] = [];
  private readonly buffers: Buffers;
  private pending: Pending | null = null;

  constructor(
    private readonly ctx: EngineContext,
    readonly kind: RecurrentKind,
    options: RecurrentOptions,
    shared?: Record<string, number>,
  ) {
    this.options = resolve(kind, options);
    this.cell = kind === "lstm" ? lstmCell : kind === "gru" ? gruCell(this.options.resetAfter!) : rnnCell(this.options.nonlinearity!);
    this.buffers = new Buffers(ctx.arena);
    const { numLayers, hiddenSize: H, inputSize, bias } = this.options;
    const D = this.directions;
    const G = this.cell.gates * H;
    for (let l = 0; l < numLayers; l++) {
      const layer: DirectionWeights[] = [];
      const I = l === 0 ? inputSize : D * H;
      for (let d = 0; d < D; d++) {
        const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
        const make = (name: string, shape: number[]) => this.addParameter(name + sfx, shape, shared);
        layer.push({
          wih: make("weight_ih", [G, I]),
          whh: make("weight_hh", [G, H]),
          bih: bias ? make("bias_ih", [G]) : undefined,
          bhh: bias ? make("bias_hh", [G]) : undefined,
        });
      }
      this.weights.push(layer);
    }
    if (!shared) this.initialize(options.seed);
  }

  get directions(): number {
    return this.options.bidirectional ? 2 : 1;
  }

  /** Parameters in state-dict order. */
  parameters(): readonly Parameter[] {
    return this.params;
  }

  describe(): RecurrentDescriptor {
    return { kind: this.kind, options: { ...this.options }, weights: Object.fromEntries(this.params.map((p) => [p.name, p.value])) };
  }

  /** PyTorch's default initialisation: every weight and bias uniform in ±1/√H. */
  private initialize(seed: number | undefined): void {
    const rng = seed === undefined ? this.ctx.random.fork() : new Random(seed);
    const k = 1 / Math.sqrt(this.options.hiddenSize);
    for (const p of this.params) {
      const values = new Float64Array(p.size);
      for (let i = 0; i < p.size; i++) values[i] = rng.uniform(-k, k);
      this.ctx.heap.f.set(values, p.value >> 2);
    }
  }

  private addParameter(name: string, shape: number[], shared?: Record<string, number>): Parameter {
    const floats = numel(shape);
    let value = shared?.[name];
    if (shared && value === undefined) throw new GatedError(`shared weights lack ${name}`);
    if (value === undefined) this.owned.push((value = this.ctx.arena.alloc(floats * 4)));
    const grad = this.ctx.arena.alloc(floats * 4);
    this.owned.push(grad);
    this.ctx.kernels.fill(grad, floats, 0);
    const p = new Parameter(this.ctx, name, shape, value, grad);
    this.params.push(p);
    return p;
  }

  stateDict(): Record<string, Tensor> {
    return Object.fromEntries(this.params.map((p) => [p.name, p.values()]));
  }

  /** Loads every entry of a PyTorch-style state dict; checks all of it before writing any. */
  loadStateDict(dict: Record<string, TensorLike>): void {
    const byName = new Map(this.params.map((p) => [p.name, p]));
    const unknown = Object.keys(dict).filter((k) => !byName.has(k));
    if (unknown.length) {
      throw new GatedError(`${this.kind}.loadStateDict: unknown entries ${unknown.join(", ")}; expected ${[...byName.keys()].join(", ")}`);
    }
    const missing = [...byName.keys()].filter((k) => !(k in dict));
    if (missing.length) throw new GatedError(`${this.kind}.loadStateDict: missing entries ${missing.join(", ")}`);
    const checked = this.params.map((p) => p.check(dict[p.name]));
    this.params.forEach((p, i) => this.ctx.heap.f.set(checked[i], p.value >> 2));
  }

  zeroGrad(): void {
    for (const p of this.params) this.ctx.kernels.fill(p.grad, p.size, 0);
  }

  forward(x: TensorLike, opts: ForwardOptions = {}): ForwardResult {
    const { inputSize: I, hiddenSize: H, numLayers: L, batchFirst } = this.options;
    const D = this.directions;
    const name = `${this.kind}.forward`;
    const xt = toTensorLike(x, "x");
    const unbatched = xt.shape.length === 2;
    if (xt.shape.length !== 3 && !unbatched) {
      throw new GatedError(`${name}: x has shape ${formatShape(xt.shape)}; expected ${batchFirst ? "[B, T, I]" : "[T, B, I]"} or [T, I]`);
    }
    const [T, B] = unbatched ? [xt.shape[0], 1] : batchFirst ? [xt.shape[1], xt.shape[0]] : [xt.shape[0], xt.shape[1]];
    const inSize = xt.shape[xt.shape.length - 1];
    if (inSize !== I) throw new GatedError(`${name}: x has ${inSize} features per step (shape ${formatShape(xt.shape)}) but inputSize is ${I}`);
    if (T < 1 || B < 1) throw new GatedError(`${name}: x has shape ${formatShape(xt.shape)}; sequences need at least one step and one batch entry`);
    assertFinite(`${name}: x`, xt.data);
    const stateShape = unbatched ? [L * D, H] : [L * D, B, H];
    const h0 = this.checkOptional(name, "h0", opts.h0, stateShape);
    const c0 = this.checkOptional(name, "c0", opts.c0, stateShape);
    if (c0 && !this.cell.hasCell) throw new GatedError(`${name}: c0 is only for LSTM layers`);
    const lengths = opts.lengths === undefined ? null : checkLengths(name, opts.lengths, T, B);
    this.assertWeightsFinite(name);

    // From here buffers are overwritten: the previous forward can no longer be backpropagated.
    this.pending = null;
    const k = this.ctx.kernels;
    const buf = this.buffers;
    const xPtr = buf.get("x", T * B * I);
    this.writeSequence(xPtr, xt.data, T, B, I, batchFirst && !unbatched);
    const S = L * D * B * H;
    const h0Ptr = h0 ? this.writeTo(buf.get("h0", S), h0) : 0;
    const c0Ptr = c0 ? this.writeTo(buf.get("c0", S), c0) : 0;
    const hN = buf.get("hN", S);
    const cN = this.cell.hasCell ? buf.get("cN", S) : 0;
    const lenPtr = lengths ? buf.get("lengths", B) : 0;
    if (lengths) this.ctx.heap.i32.set(lengths, lenPtr >> 2);
    const work = this.ctx.workspace(workFloats(this.cell, T, B, Math.max(I, D * H), H));
    const scratch = this.ctx.scratch(this.cell.scratch(B, H));

    let input = xPtr;
    for (let l = 0; l < L; l++) {
      const Il = l === 0 ? I : D * H;
      const out = buf.get(`out${l}`, T * B * D * H);
      for (let d = 0; d < D; d++) {
        const w = this.weights[l][d];
        const s = 4 * (l * D + d) * B * H;
        this.cell.forward(k, {
          T, B, I: Il, H, x: input, ldx: Il, wih: w.wih.value, whh: w.whh.value, bih: w.bih?.value ?? 0, bhh: w.bhh?.value ?? 0,
          lengths: lenPtr, reverse: d === 1, hmask: 0, cache: this.cacheOf(l, d, T * B), scratch, work,
          h0: h0Ptr && h0Ptr + s, c0: c0Ptr && c0Ptr + s, out: out + 4 * d * H, ldo: D * H, hN: hN + s, cN: cN && cN + s,
        });
      }
      input = out;
    }
    this.pending = { T, B, unbatched, lengths: !!lengths };
    const result: ForwardResult = {
      output: this.readSequence(input, T, B, D * H, unbatched),
      hN: this.readState(hN, stateShape),
    };
    if (cN) result.cN = this.readState(cN, stateShape);
    return result;
  }

  /**
   * Backpropagation through time for the last forward call. Gradients of the
   * parameters replace the stored ones (or add to them with accumulate) and
   * are returned keyed like the state dict.
   */
  backward(grads: BackwardGrads, { accumulate = false }: { accumulate?: boolean } = {}): BackwardResult {
    const name = `${this.kind}.backward`;
    const run = this.pending;
    if (!run) throw new GatedError(`${name}: call forward() first`);
    const { inputSize: I, hiddenSize: H, numLayers: L, batchFirst } = this.options;
    const D = this.directions;
    const { T, B, unbatched } = run;
    const outShape = unbatched ? [T, D * H] : batchFirst ? [B, T, D * H] : [T, B, D * H];
    const stateShape = unbatched ? [L * D, H] : [L * D, B, H];
    const gOut = this.checkOptional(name, "gradOutput", grads.gradOutput, outShape);
    const gHN = this.checkOptional(name, "gradHN", grads.gradHN, stateShape);
    const gCN = this.checkOptional(name, "gradCN", grads.gradCN, stateShape);
    if (gCN && !this.cell.hasCell) throw new GatedError(`${name}: gradCN is only for LSTM layers`);
    if (!gOut && !gHN && !gCN) throw new GatedError(`${name}: pass at least one of gradOutput, gradHN${this.cell.hasCell ? ", gradCN" : ""}`);

    const k = this.ctx.kernels;
    const buf = this.buffers;
    const S = L * D * B * H;
    let gout = 0;
    if (gOut) this.writeSequence((gout = buf.get("gout", T * B * D * H)), gOut, T, B, D * H, batchFirst && !unbatched);
    const dhN = gHN ? this.writeTo(buf.get("dhN", S), gHN) : 0;
    const dcN = gCN ? this.writeTo(buf.get("dcN", S), gCN) : 0;
    const dh0 = buf.get("dh0", S);
    const dc0 = this.cell.hasCell ? buf.get("dc0", S) : 0;
    const lenPtr = run.lengths ? buf.get("lengths", B) : 0;
    const work = this.ctx.workspace(workFloats(this.cell, T, B, Math.max(I, D * H), H));
    const scratch = this.ctx.scratch(this.cell.scratch(B, H));
    if (!accumulate) this.zeroGrad();

    let dx = 0;
    for (let l = L - 1; l >= 0; l--) {
      const Il = l === 0 ? I : D * H;
      const input = l === 0 ? buf.get("x", T * B * I) : buf.get(`out${l - 1}`, T * B * Il);
      dx = buf.get(`dx${l}`, T * B * Il);
      k.fill(dx, T * B * Il, 0);
      const goutL = l === L - 1 ? gout : buf.get(`dx${l + 1}`, T * B * D * H);
      for (let d = 0; d < D; d++) {
        const w = this.weights[l][d];
        const s = 4 * (l * D + d) * B * H;
        this.cell.backward(k, {
          T, B, I: Il, H, x: input, ldx: Il, wih: w.wih.value, whh: w.whh.value, bih: 0, bhh: 0,
          lengths: lenPtr, reverse: d === 1, hmask: 0, cache: this.cacheOf(l, d, T * B), scratch, work,
          gout: goutL && goutL + 4 * d * H, ldgo: D * H, dhN: dhN && dhN + s, dcN: dcN && dcN + s,
          dx, lddx: Il, dh0: dh0 + s, dc0: dc0 && dc0 + s,
          dwih: w.wih.grad, dwhh: w.whh.grad, dbih: w.bih?.grad ?? 0, dbhh: w.bhh?.grad ?? 0,
        });
      }
    }
    const result: BackwardResult = {
      gradX: this.readSequence(dx, T, B, I, unbatched),
      gradH0: this.readState(dh0, stateShape),
      grads: Object.fromEntries(this.params.map((p) => [p.name, p.gradient()])),
    };
    if (dc0) result.gradC0 = this.readState(dc0, stateShape);
    return result;
  }

  /** Frees the engine memory this layer owns (not weights it shares with another layer). */
  dispose(): void {
    for (const ptr of this.owned) this.ctx.arena.release(ptr);
    this.owned.length = 0;
    this.buffers.releaseAll();
    this.pending = null;
  }

  private cacheOf(l: number, d: number, steps: number): (name: string) => number {
    const widths = this.cell.caches(this.options.hiddenSize);
    return (name) => this.buffers.get(`${name}${l}.${d}`, (widths[name] ?? this.options.hiddenSize) * steps);
  }

  private checkOptional(fn: string, what: string, value: TensorLike | undefined, shape: number[]): ArrayLike<number> | null {
    if (value === undefined) return null;
    const t = toTensorLike(value, what);
    if (formatShape(t.shape) !== formatShape(shape)) {
      throw new GatedError(`${fn}: ${what} has shape ${formatShape(t.shape)}, expected ${formatShape(shape)}`);
    }
    assertFinite(`${fn}: ${what}`, t.data);
    return t.data;
  }

  private assertWeightsFinite(fn: string): void {
    for (const p of this.params) {
      const bad = this.ctx.kernels.countNonFinite(p.value, p.size);
      if (bad) throw new GatedError(`${fn}: weight ${p.name} contains ${bad} NaN or infinite values`);
    }
  }

  private writeTo(ptr: number, data: ArrayLike<number>): number {
    this.ctx.heap.f.set(data, ptr >> 2);
    return ptr;
  }

  /** Copies [T, B, W] (or [B, T, W] when batchFirst) into time-major memory. */
  private writeSequence(ptr: number, data: ArrayLike<number>, T: number, B: number, W: number, batchFirst: boolean): void {
    const F = this.ctx.heap.f;
    if (!batchFirst) {
      F.set(data, ptr >> 2);
      return;
    }
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const dst = (ptr >> 2) + (t * B + b) * W;
        const src = (b * T + t) * W;
        for (let j = 0; j < W; j++) F[dst + j] = data[src + j];
      }
    }
  }

  private readSequence(ptr: number, T: number, B: number, W: number, unbatched: boolean): Tensor {
    const F = this.ctx.heap.f;
    const start = ptr >> 2;
    if (unbatched) return { shape: [T, W], data: F.slice(start, start + T * W) };
    if (!this.options.batchFirst) return { shape: [T, B, W], data: F.slice(start, start + T * B * W) };
    const data = new (F.constructor as new (n: number) => FloatArray)(T * B * W);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) data.set(F.subarray(start + (t * B + b) * W, start + (t * B + b + 1) * W), (b * T + t) * W);
    }
    return { shape: [B, T, W], data };
  }

  private readState(ptr: number, shape: number[]): Tensor {
    const start = ptr >> 2;
    return { shape: [...shape], data: this.ctx.heap.f.slice(start, start + numel(shape)) };
  }
}

function resolve(kind: RecurrentKind, o: RecurrentOptions): ResolvedOptions {
  const fail = (msg: string) => {
    throw new GatedError(`${kind}: ${msg}`);
  };
  if (!o || typeof o !== "object") fail("options {inputSize, hiddenSize, ...} are required");
  for (const key of ["inputSize", "hiddenSize"] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) fail(`${key} must be a positive integer, got ${String(o[key])}`);
  }
  const numLayers = o.numLayers ?? 1;
  if (!Number.isInteger(numLayers) || numLayers < 1) fail(`numLayers must be a positive integer, got ${String(numLayers)}`);
  if (o.nonlinearity !== undefined && kind !== "rnn") fail("nonlinearity is an option of rnn layers only");
  if (o.nonlinearity !== undefined && o.nonlinearity !== "tanh" && o.nonlinearity !== "relu") {
    fail(`nonlinearity must be "tanh" or "relu", got ${String(o.nonlinearity)}`);
  }
  if (o.resetAfter !== undefined && kind !== "gru") fail("resetAfter is an option of gru layers only");
  const known = new Set(["inputSize", "hiddenSize", "numLayers", "bidirectional", "batchFirst", "bias", "nonlinearity", "resetAfter", "seed"]);
  const unknown = Object.keys(o).filter((key) => !known.has(key));
  if (unknown.length) fail(`unknown options ${unknown.join(", ")}`);
  return {
    inputSize: o.inputSize,
    hiddenSize: o.hiddenSize,
    numLayers,
    bidirectional: !!o.bidirectional,
    batchFirst: !!o.batchFirst,
    bias: o.bias ?? true,
    ...(kind === "rnn" ? { nonlinearity: o.nonlinearity ?? "tanh" } : {}),
    ...(kind === "gru" ? { resetAfter: o.resetAfter ?? true } : {}),
  };
}

function checkLengths(fn: string, lengths: ArrayLike<number>, T: number, B: number): Int32Array {
  if (lengths.length !== B) throw new GatedError(`${fn}: lengths has ${lengths.length} entries but the batch has ${B} sequences`);
  const out = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const n = lengths[b];
    if (!Number.isInteger(n) || n < 1 || n > T) {
      throw new GatedError(`${fn}: lengths[${b}] is ${n}; each length must be an integer from 1 to T = ${T}`);
    }
    out[b] = n;
  }
  return out;
}

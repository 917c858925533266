// A stacked, optionally bidirectional RNN / LSTM / GRU layer with PyTorch's
// contract: weights named and shaped as torch.nn's state dict, inputs
// [T, B, I] (or [B, T, I] with batchFirst, or unbatched [T, I]), states
// [numLayers·D, B, H], per-sequence lengths with packed-sequence semantics.
// Each direction of each layer is one kernel call forward and one backward.
//
// `forward`/`backward` take and return host tensors, checked and copied.
// Models use `run`/`runBackward`, which pass device tensors and accumulate
// parameter gradients (also across truncated-BPTT chunks).

import { onlyKeys, optionalBoolean } from "../util/check.ts";
import { GatedError } from "../errors.ts";
import type { FloatArray } from "../memory/heap.ts";
import { assertFinite, formatShape, numel, type Tensor, type TensorLike, toTensorLike } from "../tensor.ts";
import { Random } from "../util/random.ts";
import type { EngineContext } from "./context.ts";
import type { CellKind } from "./cells/kind.ts";
import { lstmCell } from "./cells/lstm.ts";
import { gruCell } from "./cells/gru.ts";
import { rnnCell } from "./cells/rnn.ts";
import { DeviceTensor } from "./device.ts";
import { checkLengths, checkLengthsAt } from "./indices.ts";
import { orthogonal, uniform, xavierUniform } from "./init.ts";
import { Module, type Shapes } from "./module.ts";
import type { Parameter } from "./parameter.ts";

export type RecurrentKind = "rnn" | "lstm" | "gru";

export interface RecurrentInit {
  /** "pytorch" (default): all weights uniform in ±1/√H. "xavier-orthogonal": Glorot-uniform W_ih, orthogonal W_hh gate blocks, zero biases. */
  scheme?: "pytorch" | "xavier-orthogonal";
  /** LSTM: forget-gate bias (in b_ih; b_hh's stays 0 under xavier-orthogonal), e.g. 1. */
  forgetBias?: number;
  /** GRU: reset-gate bias, e.g. −1. */
  resetBias?: number;
}

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
  /** Dropout on the outputs of every layer but the last, in training mode (PyTorch's `dropout`). */
  dropout?: number;
  /** Variational dropout of the recurrent state: one mask per sequence and layer direction, reused at every step. */
  recurrentDropout?: number;
  init?: RecurrentInit;
  /** Seed of the initial weights; by default drawn from the engine's generator. */
  seed?: number;
}

export type ResolvedOptions = Required<Omit<RecurrentOptions, "seed" | "nonlinearity" | "resetAfter" | "init">> &
  Pick<RecurrentOptions, "nonlinearity" | "resetAfter" | "init">;

export interface ForwardOptions {
  h0?: TensorLike;
  c0?: TensorLike;
  /** Length of each sequence in the batch, 1..T; steps past it are padding. */
  lengths?: ArrayLike<number>;
  /** Also return the gates' activations of every step (see Recurrent.gates). */
  keepGates?: boolean;
}

/** Per layer and direction ("l0", "l0_reverse", "l1", …): named [T, B, H] tensors in time order. */
export type StepTensors = Record<string, Record<string, Tensor>>;

/** Results that only an LSTM has (its cell state): present for an LSTM layer, absent for a GRU or RNN, maybe there for a layer whose kind the code does not know. */
interface CellStateResults {
  lstm: { forward: { cN: Tensor }; backward: { gradC0: Tensor } };
  gru: { forward: { cN?: undefined }; backward: { gradC0?: undefined } };
  rnn: { forward: { cN?: undefined }; backward: { gradC0?: undefined } };
}

export type ForwardResult<K extends RecurrentKind = RecurrentKind> = {
  output: Tensor;
  hN: Tensor;
  gates?: StepTensors;
} & CellStateResults[K]["forward"];

export interface BackwardGrads {
  gradOutput?: TensorLike;
  gradHN?: TensorLike;
  gradCN?: TensorLike;
}

export type BackwardResult<K extends RecurrentKind = RecurrentKind> = {
  gradX: Tensor;
  gradH0: Tensor;
  grads: Record<string, Tensor>;
  /** With stepGradients: per layer and direction, { h: dL/dh_t } as [T, B, H]. */
  gradSteps?: StepTensors;
} & CellStateResults[K]["backward"];

/** What another engine over the same memory needs to run this layer on the same weights. */
export interface RecurrentDescriptor {
  kind: RecurrentKind;
  options: ResolvedOptions;
  weights: Record<string, number>;
}

/** Device-level results of run(): views of layer buffers, valid until the next call. */
export interface RunResult {
  output: DeviceTensor;
  hN: DeviceTensor;
  cN?: DeviceTensor;
}

export interface RunGrads {
  /** Null when runBackward was asked for no input gradient. */
  dx: DeviceTensor | null;
  dh0: DeviceTensor;
  dc0?: DeviceTensor;
}

interface Pending {
  T: number;
  B: number;
  x: number;
  lengths: number;
  unbatched: boolean;
  /** Whether run() drew dropout masks (training mode with dropout). */
  dropout: boolean;
  recurrentDropout: boolean;
  /** Whether the last runBackward recorded each step's state gradient. */
  stepped: boolean;
}

interface DirectionWeights {
  wih: Parameter;
  whh: Parameter;
  bih?: Parameter;
  bhh?: Parameter;
}

/** A recurrent layer of kind K (an LSTM's results carry its cell state). */
export class Recurrent<K extends RecurrentKind = RecurrentKind> extends Module {
  readonly options: ResolvedOptions;
  private readonly cell: CellKind;
  private readonly weights: DirectionWeights[][] = [];
  private pending: Pending | null = null;

  constructor(
    ctx: EngineContext,
    readonly kind: K,
    options: RecurrentOptions,
  ) {
    super(ctx);
    this.options = resolve(kind, options);
    this.cell = kind === "lstm" ? lstmCell : kind === "gru" ? gruCell(this.options.resetAfter!) : rnnCell(this.options.nonlinearity!);
    const p = this.addParameters(Recurrent.shapes(kind, this.options));
    for (let l = 0; l < this.options.numLayers; l++) {
      this.weights.push(
        Array.from({ length: this.directions }, (_, d) => {
          const sfx = suffix(l, d);
          return { wih: p[`weight_ih${sfx}`], whh: p[`weight_hh${sfx}`], bih: p[`bias_ih${sfx}`], bhh: p[`bias_hh${sfx}`] };
        }),
      );
    }
    this.initialize(options.seed === undefined ? ctx.random.fork() : new Random(options.seed));
  }

  /** torch.nn's state dict of such a layer: weight_ih_l0 [G·H, I], weight_hh_l0 [G·H, H], biases [G·H], per layer and direction. */
  static shapes(kind: RecurrentKind, options: RecurrentOptions): Shapes {
    const { inputSize, hiddenSize: H, numLayers = 1, bidirectional = false, bias = true } = options;
    const D = bidirectional ? 2 : 1;
    const G = GATES[kind] * H;
    const shapes: Shapes = [];
    for (let l = 0; l < numLayers; l++) {
      for (let d = 0; d < D; d++) {
        const sfx = suffix(l, d);
        shapes.push([`weight_ih${sfx}`, [G, l === 0 ? inputSize : D * H]], [`weight_hh${sfx}`, [G, H]]);
        if (bias) shapes.push([`bias_ih${sfx}`, [G]], [`bias_hh${sfx}`, [G]]);
      }
    }
    return shapes;
  }

  get directions(): number {
    return this.options.bidirectional ? 2 : 1;
  }

  /** Width of each output step: D·H. */
  get outputSize(): number {
    return this.directions * this.options.hiddenSize;
  }

  describe(): RecurrentDescriptor {
    return { kind: this.kind, options: { ...this.options }, weights: this.weightPointers() };
  }

  private initialize(rng: Random): void {
    const { hiddenSize: H, init = {} } = this.options;
    const gates = this.cell.gates;
    const write = (p: Parameter | undefined, values: Float64Array) => p && this.ctx.heap.f.set(values, p.value >> 2);
    for (const layer of this.weights) {
      for (const w of layer) {
        if (init.scheme === "xavier-orthogonal") {
          // Glorot over each gate block's fan-in and fan-out, orthogonal per gate block.
          const [G, I] = w.wih.shape;
          const wih = new Float64Array(G * I);
          const whh = new Float64Array(G * H);
          for (let g = 0; g < gates; g++) {
            wih.set(xavierUniform(rng, H, I), g * H * I);
            whh.set(orthogonal(rng, H, H), g * H * H);
          }
          write(w.wih, wih);
          write(w.whh, whh);
          write(w.bih, new Float64Array(G));
          write(w.bhh, new Float64Array(G));
        } else {
          const k = 1 / Math.sqrt(H);
          for (const p of [w.wih, w.whh, w.bih, w.bhh]) write(p, uniform(rng, p ? p.size : 0, k));
        }
        // Gate biases live in b_ih; b_hh's share is cleared so their sum is the chosen value.
        const gateBias = (gate: number, value: number) => {
          for (const [p, v] of [[w.bih, value], [w.bhh, 0]] as const) {
            if (p) this.ctx.heap.f.fill(v, (p.value >> 2) + gate * H, (p.value >> 2) + (gate + 1) * H);
          }
        };
        if (this.kind === "lstm" && init.forgetBias !== undefined) gateBias(1, init.forgetBias);
        if (this.kind === "gru" && init.resetBias !== undefined) gateBias(0, init.resetBias);
      }
    }
  }

  forward(x: TensorLike, opts: ForwardOptions = {}): ForwardResult<K> {
    return this.attempt(() => {
      const { inputSize: I, hiddenSize: H, numLayers: L, batchFirst } = this.options;
      const D = this.directions;
      const name = `${this.kind}.forward`;
      onlyKeys(opts, ["h0", "c0", "lengths", "keepGates"], `${name}'s options`);
      optionalBoolean(opts.keepGates, `${name}: keepGates`);
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
      let lengths: Int32Array | null = null;
      if (opts.lengths !== undefined) {
        if (opts.lengths.length !== B) throw new GatedError(`${name}: lengths has ${opts.lengths.length} entries but the batch has ${B} sequences`);
        checkLengths(opts.lengths, T, name, (b) => `lengths[${b}]`);
        lengths = Int32Array.from(opts.lengths);
      }

      const buf = this.buffers;
      const S = L * D * B * H;
      const xPtr = buf.get("x", T * B * I);
      this.pending = null;
      this.writeSequence(xPtr, xt.data, T, B, I, batchFirst && !unbatched);
      const h0Ptr = h0 ? this.writeTo(buf.get("h0", S), h0) : 0;
      const c0Ptr = c0 ? this.writeTo(buf.get("c0", S), c0) : 0;
      const lenPtr = lengths ? buf.get("lengths", B) : 0;
      if (lengths) this.ctx.heap.i32.set(lengths, lenPtr >> 2);
      const r = this.run(xPtr, T, B, { lengths: lenPtr, h0: h0Ptr, c0: c0Ptr });
      this.pending!.unbatched = unbatched;
      // The cell state is there exactly when the layer is an LSTM, as ForwardResult<K> says.
      return {
        output: this.readSequence(r.output.ptr, T, B, D * H, unbatched),
        hN: this.readState(r.hN.ptr, stateShape),
        ...(r.cN ? { cN: this.readState(r.cN.ptr, stateShape) } : {}),
        ...(opts.keepGates ? { gates: this.gates() } : {}),
      } as ForwardResult<K>;
    });
  }

  /**
   * The activations of the last run, from what it caches for BPTT (nothing
   * is computed or kept for this otherwise): per layer and direction, LSTM
   * i, f, g, o (after their nonlinearities), c (the cell state) and h; GRU
   * r, z, n and h; RNN h — each [T, B, H] in time order, zero past a
   * sequence's length.
   */
  gates(): StepTensors {
    const run = this.pending;
    if (!run) throw new GatedError(`${this.kind}.gates: call forward() first`);
    const { hiddenSize: H, numLayers: L } = this.options;
    const D = this.directions;
    const { T, B } = run;
    const F = this.ctx.heap.f;
    const names = this.kind === "lstm" ? ["i", "f", "g", "o"] : this.kind === "gru" ? ["r", "z", "n"] : [];
    const out: StepTensors = {};
    for (let l = 0; l < L; l++) {
      for (let d = 0; d < D; d++) {
        const cache = this.cacheOf(l, d, T * B);
        const G = this.cell.gates * H;
        const gates = cache("gates") >> 2;
        const layer = this.buffers.get(`out${l}`, T * B * D * H) >> 2;
        const entry: Record<string, Tensor> = {};
        const make = () => new Float32Array(T * B * H);
        names.forEach((name, k) => {
          const data = make();
          for (let row = 0; row < T * B; row++) data.set(F.subarray(gates + row * G + k * H, gates + row * G + (k + 1) * H), row * H);
          entry[name] = { shape: [T, B, H], data };
        });
        if (this.kind === "lstm") {
          // c_t = f ⊙ c_{t−1} + i ⊙ g, from the cached gates and previous cell states.
          const cprev = cache("cprev") >> 2;
          const [i, f, g] = [entry.i.data, entry.f.data, entry.g.data];
          const c = make();
          for (let j = 0; j < T * B * H; j++) c[j] = Math.fround(Math.fround(f[j] * F[cprev + j]) + Math.fround(i[j] * g[j]));
          entry.c = { shape: [T, B, H], data: c };
        }
        const h = make();
        for (let row = 0; row < T * B; row++) h.set(F.subarray(layer + row * D * H + d * H, layer + row * D * H + (d + 1) * H), row * H);
        entry.h = { shape: [T, B, H], data: h };
        for (const t of Object.values(entry)) this.blankPadding(t.data as Float32Array, run, H);
        out[`l${l}${d === 1 ? "_reverse" : ""}`] = entry;
      }
    }
    return out;
  }

  /** Each step's total dL/dh_t recorded by the last runBackward with stepGradients, per layer and direction. */
  stepGradients(): StepTensors {
    const run = this.pending;
    if (!run?.stepped) throw new GatedError(`${this.kind}.stepGradients: call backward() with stepGradients: true first`);
    const { hiddenSize: H, numLayers: L } = this.options;
    const D = this.directions;
    const n = run.T * run.B * H;
    const out: StepTensors = {};
    for (let l = 0; l < L; l++) {
      for (let d = 0; d < D; d++) {
        const ptr = this.buffers.get(`dhs${l}.${d}`, n) >> 2;
        out[`l${l}${d === 1 ? "_reverse" : ""}`] = { h: { shape: [run.T, run.B, H], data: this.ctx.heap.f.slice(ptr, ptr + n) } };
      }
    }
    return out;
  }

  /**
   * Zeroes steps past each sequence's length (caches there hold what earlier batches left). The
   * lengths are read where the run left them: like x, they stay untouched until the next run.
   */
  private blankPadding(data: Float32Array, run: Pending, H: number): void {
    if (!run.lengths) return;
    const lengths = this.ctx.heap.i32.subarray(run.lengths >> 2, (run.lengths >> 2) + run.B);
    for (let t = 0; t < run.T; t++) {
      for (let b = 0; b < run.B; b++) if (t >= lengths[b]) data.fill(0, (t * run.B + b) * H, (t * run.B + b + 1) * H);
    }
  }

  /**
   * Runs the layer over x (T×B rows of inputSize floats in engine memory,
   * which must stay untouched until runBackward). lengths: i32[B] pointer or
   * 0; h0, c0: [numLayers·D, B, H] pointers or 0.
   */
  run(x: number, T: number, B: number, { lengths = 0, h0 = 0, c0 = 0 }: { lengths?: number; h0?: number; c0?: number } = {}): RunResult {
    const { inputSize: I, hiddenSize: H, numLayers: L, dropout, recurrentDropout } = this.options;
    const D = this.directions;
    const k = this.ctx.kernels;
    const buf = this.buffers;
    const name = `${this.kind}.forward`;
    this.assertWeightsFinite(name);
    checkLengthsAt(this.ctx.heap.i32, lengths, B, T, name);
    this.pending = null;
    const S = L * D * B * H;
    const hN = buf.get("hN", S);
    const cN = this.cell.hasCell ? buf.get("cN", S) : 0;
    const work = this.ctx.workspace(this.cell.work(this.ctx.kernels, T, B, Math.max(I, D * H), H));
    const scratch = this.ctx.scratch(this.cell.scratch(B, H));
    const dropBetween = this.training && dropout > 0 && L > 1;
    const dropState = this.training && recurrentDropout > 0;

    let input = x;
    for (let l = 0; l < L; l++) {
      const Il = l === 0 ? I : D * H;
      const out = buf.get(`out${l}`, T * B * D * H);
      for (let d = 0; d < D; d++) {
        const w = this.weights[l][d];
        const s = 4 * (l * D + d) * B * H;
        let hmask = 0;
        if (dropState) k.dropoutMask(B * H, this.ctx.rngState, (hmask = buf.get(`hmask${l}.${d}`, B * H)), recurrentDropout);
        this.cell.forward(k, {
          T, B, I: Il, H, x: input, ldx: Il, wih: w.wih.value, whh: w.whh.value, bih: w.bih?.value ?? 0, bhh: w.bhh?.value ?? 0,
          lengths, reverse: d === 1, hmask, cache: this.cacheOf(l, d, T * B), scratch, work,
          h0: h0 && h0 + s, c0: c0 && c0 + s, out: out + 4 * d * H, ldo: D * H, hN: hN + s, cN: cN && cN + s,
        });
      }
      if (dropBetween && l < L - 1) {
        const mask = buf.get(`dmask${l}`, T * B * D * H);
        k.dropoutMask(T * B * D * H, this.ctx.rngState, mask, dropout);
        k.mul(T * B * D * H, out, mask, out);
      }
      input = out;
    }
    this.pending = { T, B, x, lengths, unbatched: false, dropout: dropBetween, recurrentDropout: dropState, stepped: false };
    const result: RunResult = {
      output: new DeviceTensor(this.ctx, input, [T, B, D * H]),
      hN: new DeviceTensor(this.ctx, hN, [L * D, B, H]),
    };
    if (cN) result.cN = new DeviceTensor(this.ctx, cN, [L * D, B, H]);
    return result;
  }

  /**
   * Backpropagation through time for the last forward call. Gradients of the
   * parameters replace the stored ones (or add to them with accumulate) and
   * are returned keyed like the state dict.
   */
  backward(grads: BackwardGrads, { accumulate = false, stepGradients = false }: { accumulate?: boolean; stepGradients?: boolean } = {}): BackwardResult<K> {
    return this.attempt(() => {
      const name = `${this.kind}.backward`;
      const run = this.pending;
      if (!run) throw new GatedError(`${name}: call forward() first`);
      const { hiddenSize: H, numLayers: L, batchFirst } = this.options;
      const D = this.directions;
      const { T, B, unbatched } = run;
      const outShape = unbatched ? [T, D * H] : batchFirst ? [B, T, D * H] : [T, B, D * H];
      const stateShape = unbatched ? [L * D, H] : [L * D, B, H];
      const gOut = this.checkOptional(name, "gradOutput", grads.gradOutput, outShape);
      const gHN = this.checkOptional(name, "gradHN", grads.gradHN, stateShape);
      const gCN = this.checkOptional(name, "gradCN", grads.gradCN, stateShape);
      if (gCN && !this.cell.hasCell) throw new GatedError(`${name}: gradCN is only for LSTM layers`);
      if (!gOut && !gHN && !gCN) throw new GatedError(`${name}: pass at least one of gradOutput, gradHN${this.cell.hasCell ? ", gradCN" : ""}`);

      const buf = this.buffers;
      const S = L * D * B * H;
      let gout = 0;
      if (gOut) this.writeSequence((gout = buf.get("gout", T * B * D * H)), gOut, T, B, D * H, batchFirst && !unbatched);
      const dhN = gHN ? this.writeTo(buf.get("dhN", S), gHN) : 0;
      const dcN = gCN ? this.writeTo(buf.get("dcN", S), gCN) : 0;
      if (!accumulate) this.zeroGrad();
      const r = this.runBackward({ gout, dhN, dcN, stepGradients });
      return {
        gradX: this.readSequence(r.dx!.ptr, T, B, this.options.inputSize, unbatched),
        gradH0: this.readState(r.dh0.ptr, stateShape),
        grads: Object.fromEntries(this.parameters().map((p) => [p.name, p.gradient()])),
        ...(r.dc0 ? { gradC0: this.readState(r.dc0.ptr, stateShape) } : {}),
        ...(stepGradients ? { gradSteps: this.stepGradients() } : {}),
      } as BackwardResult<K>;
    });
  }

  /**
   * BPTT for the last run(), adding into the parameter gradients. gout:
   * T×B×(D·H) pointer or 0; dhN, dcN: [numLayers·D, B, H] pointers or 0.
   * With inputGrad false the gradient of x is not computed (dx is null):
   * when x is data, that saves a GEMM as large as the input projection.
   */
  runBackward({ gout = 0, dhN = 0, dcN = 0, inputGrad = true, stepGradients = false }: { gout?: number; dhN?: number; dcN?: number; inputGrad?: boolean; stepGradients?: boolean }): RunGrads {
    const run = this.pending;
    if (!run) throw new GatedError(`${this.kind}.backward: call forward() first`);
    run.stepped = stepGradients;
    const { inputSize: I, hiddenSize: H, numLayers: L } = this.options;
    const D = this.directions;
    const { T, B } = run;
    const k = this.ctx.kernels;
    const buf = this.buffers;
    const S = L * D * B * H;
    const dh0 = buf.get("dh0", S);
    const dc0 = this.cell.hasCell ? buf.get("dc0", S) : 0;
    const work = this.ctx.workspace(this.cell.work(this.ctx.kernels, T, B, Math.max(I, D * H), H));
    const scratch = this.ctx.scratch(this.cell.scratch(B, H));

    let dx = 0;
    for (let l = L - 1; l >= 0; l--) {
      const Il = l === 0 ? I : D * H;
      const input = l === 0 ? run.x : buf.get(`out${l - 1}`, T * B * Il);
      dx = l > 0 || inputGrad ? buf.get(`dx${l}`, T * B * Il) : 0;
      if (dx) k.fill(T * B * Il, dx, 0);
      let goutL = gout;
      if (l < L - 1) {
        goutL = buf.get(`dx${l + 1}`, T * B * D * H);
        // The next layer saw this layer's output through the dropout mask.
        if (run.dropout) k.mul(T * B * D * H, goutL, buf.get(`dmask${l}`, T * B * D * H), goutL);
      }
      for (let d = 0; d < D; d++) {
        const w = this.weights[l][d];
        const s = 4 * (l * D + d) * B * H;
        this.cell.backward(k, {
          T, B, I: Il, H, x: input, ldx: Il, wih: w.wih.value, whh: w.whh.value, bih: 0, bhh: 0,
          lengths: run.lengths, reverse: d === 1, hmask: run.recurrentDropout ? buf.get(`hmask${l}.${d}`, B * H) : 0,
          cache: this.cacheOf(l, d, T * B), scratch, work,
          gout: goutL && goutL + 4 * d * H, ldgo: D * H, dhN: dhN && dhN + s, dcN: dcN && dcN + s,
          dx, lddx: Il, dh0: dh0 + s, dc0: dc0 && dc0 + s, dhs: stepGradients ? buf.get(`dhs${l}.${d}`, T * B * H) : 0,
          dwih: w.wih.grad, dwhh: w.whh.grad, dbih: w.bih?.grad ?? 0, dbhh: w.bhh?.grad ?? 0,
        });
      }
    }
    const result: RunGrads = {
      dx: dx ? new DeviceTensor(this.ctx, dx, [T, B, I]) : null,
      dh0: new DeviceTensor(this.ctx, dh0, [L * D, B, H]),
    };
    if (dc0) result.dc0 = new DeviceTensor(this.ctx, dc0, [L * D, B, H]);
    return result;
  }

  override dispose(): void {
    super.dispose();
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
    for (const p of this.parameters()) {
      const bad = this.ctx.kernels.countNonFinite(p.size, p.value);
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

/** Gate blocks per unit of each kind: LSTM i, f, g, o; GRU r, z, n; RNN one. */
const GATES: Record<RecurrentKind, number> = { lstm: 4, gru: 3, rnn: 1 };

const suffix = (layer: number, direction: number) => `_l${layer}${direction === 1 ? "_reverse" : ""}`;

/** Deeper stacks than this are refused (a crafted file could otherwise ask for millions of layers). */
export const MAX_LAYERS = 64;
/** Widest input or state accepted (far beyond what fits in memory as a square weight). */
export const MAX_WIDTH = 1 << 20;

/** Checks a layer's options (all of them, before anything is allocated) and fills in the defaults. */
export function resolve(kind: RecurrentKind, o: RecurrentOptions): ResolvedOptions {
  const fail = (msg: string) => {
    throw new GatedError(`${kind}: ${msg}`);
  };
  if (!o || typeof o !== "object") fail("options {inputSize, hiddenSize, ...} are required");
  for (const key of ["inputSize", "hiddenSize"] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1 || o[key] > MAX_WIDTH) fail(`${key} must be a positive integer up to ${MAX_WIDTH}, got ${String(o[key])}`);
  }
  const numLayers = o.numLayers ?? 1;
  if (!Number.isInteger(numLayers) || numLayers < 1 || numLayers > MAX_LAYERS) fail(`numLayers must be an integer from 1 to ${MAX_LAYERS}, got ${String(numLayers)}`);
  for (const key of ["bidirectional", "batchFirst", "bias"] as const) {
    if (o[key] !== undefined && typeof o[key] !== "boolean") fail(`${key} must be true or false, got ${JSON.stringify(o[key])}`);
  }
  if (o.seed !== undefined && !Number.isInteger(o.seed)) fail(`seed must be an integer, got ${String(o.seed)}`);
  if (o.nonlinearity !== undefined && kind !== "rnn") fail("nonlinearity is an option of rnn layers only");
  if (o.nonlinearity !== undefined && o.nonlinearity !== "tanh" && o.nonlinearity !== "relu") {
    fail(`nonlinearity must be "tanh" or "relu", got ${String(o.nonlinearity)}`);
  }
  if (o.resetAfter !== undefined && kind !== "gru") fail("resetAfter is an option of gru layers only");
  for (const key of ["dropout", "recurrentDropout"] as const) {
    const p = o[key];
    if (p !== undefined && !(typeof p === "number" && p >= 0 && p < 1)) fail(`${key} must be a probability in [0, 1), got ${String(p)}`);
  }
  if (o.init !== undefined && (!o.init || typeof o.init !== "object" || Array.isArray(o.init))) fail("init must be an object {scheme, forgetBias, resetBias}");
  const init = o.init ?? {};
  const unknownInit = Object.keys(init).filter((k) => !["scheme", "forgetBias", "resetBias"].includes(k));
  if (unknownInit.length) fail(`unknown init options ${unknownInit.join(", ")}`);
  for (const key of ["forgetBias", "resetBias"] as const) {
    if (init[key] !== undefined && !(typeof init[key] === "number" && Number.isFinite(init[key]))) fail(`init.${key} must be a finite number, got ${String(init[key])}`);
  }
  if (init.scheme !== undefined && init.scheme !== "pytorch" && init.scheme !== "xavier-orthogonal") {
    fail(`init.scheme must be "pytorch" or "xavier-orthogonal", got ${String(init.scheme)}`);
  }
  if (init.forgetBias !== undefined && kind !== "lstm") fail("init.forgetBias is for LSTM layers only");
  if (init.resetBias !== undefined && kind !== "gru") fail("init.resetBias is for GRU layers only");
  const known = new Set([
    "inputSize", "hiddenSize", "numLayers", "bidirectional", "batchFirst", "bias", "nonlinearity", "resetAfter", "dropout",
    "recurrentDropout", "init", "seed",
  ]);
  const unknown = Object.keys(o).filter((key) => !known.has(key));
  if (unknown.length) fail(`unknown options ${unknown.join(", ")}`);
  return {
    inputSize: o.inputSize,
    hiddenSize: o.hiddenSize,
    numLayers,
    bidirectional: !!o.bidirectional,
    batchFirst: !!o.batchFirst,
    bias: o.bias ?? true,
    dropout: o.dropout ?? 0,
    recurrentDropout: o.recurrentDropout ?? 0,
    ...(o.init ? { init: { ...o.init } } : {}),
    ...(kind === "rnn" ? { nonlinearity: o.nonlinearity ?? "tanh" } : {}),
    ...(kind === "gru" ? { resetAfter: o.resetAfter ?? true } : {}),
  };
}

// A stacked, optionally bidirectional RNN / LSTM / GRU layer with PyTorch's
// contract: weights named and shaped as torch.nn's state dict, inputs
// [T, B, I] (or [B, T, I] with batchFirst, or unbatched [T, I]), states
// [numLayers·D, B, H], per-sequence lengths with packed-sequence semantics.
//
// This is the host API: `forward`/`backward` take and return host tensors,
// checked and copied, and the activations of a run can be read back. Models
// use the device path underneath (recurrent-device.ts: `run`/`runBackward`).

import { onlyKeys, optionalBoolean } from "../util/check.ts";
import { GatedError } from "../errors.ts";
import type { FloatArray } from "../memory/heap.ts";
import { assertFinite, formatShape, numel, type Tensor, type TensorLike, toTensorLike } from "../tensor.ts";
import type { EngineContext } from "./context.ts";
import { checkLengths } from "./indices.ts";
import { type Pending, RecurrentCore } from "./recurrent-device.ts";
import type { RecurrentKind, RecurrentOptions } from "./recurrent-options.ts";

export type { RecurrentKind, RecurrentInit, RecurrentOptions, ResolvedOptions } from "./recurrent-options.ts";
export type { RecurrentDescriptor, RunResult, RunGrads } from "./recurrent-device.ts";

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

/** A recurrent layer of kind K (an LSTM's results carry its cell state). */
export class Recurrent<K extends RecurrentKind = RecurrentKind> extends RecurrentCore {
  declare readonly kind: K;

  constructor(ctx: EngineContext, kind: K, options: RecurrentOptions) {
    super(ctx, kind, options);
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

      const a = this.activations(T, B);
      const xPtr = a.x();
      this.pending = null;
      this.writeSequence(xPtr, xt.data, T, B, I, batchFirst && !unbatched);
      const h0Ptr = h0 ? this.writeTo(a.state("h0"), h0) : 0;
      const c0Ptr = c0 ? this.writeTo(a.state("c0"), c0) : 0;
      const lenPtr = lengths ? a.lengths() : 0;
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
    const a = this.activations(T, B);
    const names = this.kind === "lstm" ? ["i", "f", "g", "o"] : this.kind === "gru" ? ["r", "z", "n"] : [];
    const out: StepTensors = {};
    for (let l = 0; l < L; l++) {
      for (let d = 0; d < D; d++) {
        const cache = a.cache(l, d);
        const G = this.cell.gates * H;
        const gates = cache("gates") >> 2;
        const layer = a.out(l) >> 2;
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
        const ptr = this.activations(run.T, run.B).dhs(l, d) >> 2;
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

      const a = this.activations(T, B);
      let gout = 0;
      if (gOut) this.writeSequence((gout = a.gout()), gOut, T, B, D * H, batchFirst && !unbatched);
      const dhN = gHN ? this.writeTo(a.state("dhN"), gHN) : 0;
      const dcN = gCN ? this.writeTo(a.state("dcN"), gCN) : 0;
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

  private checkOptional(fn: string, what: string, value: TensorLike | undefined, shape: number[]): ArrayLike<number> | null {
    if (value === undefined) return null;
    const t = toTensorLike(value, what);
    if (formatShape(t.shape) !== formatShape(shape)) {
      throw new GatedError(`${fn}: ${what} has shape ${formatShape(t.shape)}, expected ${formatShape(shape)}`);
    }
    assertFinite(`${fn}: ${what}`, t.data);
    return t.data;
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

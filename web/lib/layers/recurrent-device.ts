// The device path of a recurrent layer: its weights (named and shaped as
// torch.nn's state dict, initialised as PyTorch or Glorot/orthogonal), run()
// and runBackward() over device tensors, one kernel call per layer and
// direction each way, adding into the parameter gradients (also across
// truncated-BPTT chunks). Where a run's activations live is stated once, in
// activations(T, B). Models use this path; recurrent.ts adds the PyTorch-style
// host API over it.

import { GatedError } from "../errors.ts";
import { Random } from "../util/random.ts";
import type { EngineContext } from "./context.ts";
import type { CellKind } from "./cells/kind.ts";
import { lstmCell } from "./cells/lstm.ts";
import { gruCell } from "./cells/gru.ts";
import { rnnCell } from "./cells/rnn.ts";
import { DeviceTensor } from "./device.ts";
import { checkLengthsAt } from "./indices.ts";
import { orthogonal, uniform, xavierUniform } from "./init.ts";
import { Module, type Shapes } from "./module.ts";
import type { Parameter } from "./parameter.ts";
import { GATES, type RecurrentKind, type RecurrentOptions, resolve, type ResolvedOptions } from "./recurrent-options.ts";

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

/** The last run(), kept for runBackward and for reading its activations. */
export interface Pending {
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

/** State-dict suffix of a layer and direction: _l0, _l0_reverse, _l1, … */
const suffix = (layer: number, direction: number) => `_l${layer}${direction === 1 ? "_reverse" : ""}`;

export class RecurrentCore extends Module {
  readonly options: ResolvedOptions;
  protected readonly cell: CellKind;
  private readonly weights: DirectionWeights[][] = [];
  protected pending: Pending | null = null;

  constructor(
    ctx: EngineContext,
    readonly kind: RecurrentKind,
    options: RecurrentOptions,
  ) {
    super(ctx);
    this.options = resolve(kind, options);
    this.cell = kind === "lstm" ? lstmCell : kind === "gru" ? gruCell(this.options.resetAfter!) : rnnCell(this.options.nonlinearity!);
    const p = this.addParameters(RecurrentCore.shapes(kind, this.options));
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

  /**
   * Runs the layer over x (T×B rows of inputSize floats in engine memory,
   * which must stay untouched until runBackward). lengths: i32[B] pointer or
   * 0; h0, c0: [numLayers·D, B, H] pointers or 0.
   */
  run(x: number, T: number, B: number, { lengths = 0, h0 = 0, c0 = 0 }: { lengths?: number; h0?: number; c0?: number } = {}): RunResult {
    const { inputSize: I, hiddenSize: H, numLayers: L, dropout, recurrentDropout } = this.options;
    const D = this.directions;
    const k = this.ctx.kernels;
    const name = `${this.kind}.forward`;
    this.assertWeightsFinite(name);
    checkLengthsAt(this.ctx.heap.i32, lengths, B, T, name);
    this.pending = null;
    const a = this.activations(T, B);
    const hN = a.state("hN");
    const cN = this.cell.hasCell ? a.state("cN") : 0;
    const work = this.ctx.workspace(this.cell.work(this.ctx.kernels, T, B, Math.max(I, D * H), H));
    const scratch = this.ctx.scratch(this.cell.scratch(B, H));
    const dropBetween = this.training && dropout > 0 && L > 1;
    const dropState = this.training && recurrentDropout > 0;

    let input = x;
    for (let l = 0; l < L; l++) {
      const Il = l === 0 ? I : D * H;
      const out = a.out(l);
      for (let d = 0; d < D; d++) {
        const w = this.weights[l][d];
        const s = 4 * (l * D + d) * B * H;
        let hmask = 0;
        if (dropState) k.dropoutMask(B * H, this.ctx.rngState, (hmask = a.hmask(l, d)), recurrentDropout);
        this.cell.forward(k, {
          T, B, I: Il, H, x: input, ldx: Il, wih: w.wih.value, whh: w.whh.value, bih: w.bih?.value ?? 0, bhh: w.bhh?.value ?? 0,
          lengths, reverse: d === 1, hmask, cache: a.cache(l, d), scratch, work,
          h0: h0 && h0 + s, c0: c0 && c0 + s, out: out + 4 * d * H, ldo: D * H, hN: hN + s, cN: cN && cN + s,
        });
      }
      if (dropBetween && l < L - 1) {
        const mask = a.dmask(l);
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
    const a = this.activations(T, B);
    const dh0 = a.state("dh0");
    const dc0 = this.cell.hasCell ? a.state("dc0") : 0;
    const work = this.ctx.workspace(this.cell.work(this.ctx.kernels, T, B, Math.max(I, D * H), H));
    const scratch = this.ctx.scratch(this.cell.scratch(B, H));

    let dx = 0;
    for (let l = L - 1; l >= 0; l--) {
      const Il = l === 0 ? I : D * H;
      const input = l === 0 ? run.x : a.out(l - 1);
      dx = l > 0 || inputGrad ? a.dx(l) : 0;
      if (dx) k.fill(T * B * Il, dx, 0);
      let goutL = gout;
      if (l < L - 1) {
        goutL = a.dx(l + 1);
        // The next layer saw this layer's output through the dropout mask.
        if (run.dropout) k.mul(T * B * D * H, goutL, a.dmask(l), goutL);
      }
      for (let d = 0; d < D; d++) {
        const w = this.weights[l][d];
        const s = 4 * (l * D + d) * B * H;
        this.cell.backward(k, {
          T, B, I: Il, H, x: input, ldx: Il, wih: w.wih.value, whh: w.whh.value, bih: 0, bhh: 0,
          lengths: run.lengths, reverse: d === 1, hmask: run.recurrentDropout ? a.hmask(l, d) : 0,
          cache: a.cache(l, d), scratch, work,
          gout: goutL && goutL + 4 * d * H, ldgo: D * H, dhN: dhN && dhN + s, dcN: dcN && dcN + s,
          dx, lddx: Il, dh0: dh0 + s, dc0: dc0 && dc0 + s, dhs: stepGradients ? a.dhs(l, d) : 0,
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

  /**
   * Where the activations of a run over T steps of B sequences live: every
   * buffer forward and backward use, named and sized here and nowhere else
   * (each is made when first asked for, so inference makes none of the
   * backward ones).
   */
  protected activations(T: number, B: number) {
    const { hiddenSize: H, numLayers: L } = this.options;
    const D = this.directions;
    const get = (name: string, floats: number) => this.buffers.get(name, floats);
    const widths = this.cell.caches(H);
    const width = (l: number) => (l === 0 ? this.options.inputSize : D * H);
    return {
      /** Layer l's output, T×B×(D·H), time-major. */
      out: (l: number) => get(`out${l}`, T * B * D * H),
      /** The named caches a cell keeps for BPTT of layer l, direction d. */
      cache: (l: number, d: number) => (name: string) => get(`${name}${l}.${d}`, (widths[name] ?? H) * T * B),
      /** The host's copies of x, of the lengths and of the gradient of the output, for forward() and backward(). */
      x: () => get("x", T * B * this.options.inputSize),
      lengths: () => get("lengths", B),
      gout: () => get("gout", T * B * D * H),
      /** Initial and final states, and their gradients: [L·D, B, H]. */
      state: (name: "h0" | "c0" | "hN" | "cN" | "dh0" | "dc0" | "dhN" | "dcN") => get(name, L * D * B * H),
      /** Recurrent dropout's mask (one per sequence) and dropout's mask between layers l and l + 1. */
      hmask: (l: number, d: number) => get(`hmask${l}.${d}`, B * H),
      dmask: (l: number) => get(`dmask${l}`, T * B * D * H),
      /** The gradient of layer l's input, and each step's dL/dh_t of layer l, direction d. */
      dx: (l: number) => get(`dx${l}`, T * B * width(l)),
      dhs: (l: number, d: number) => get(`dhs${l}.${d}`, T * B * H),
    };
  }

  override dispose(): void {
    super.dispose();
    this.pending = null;
  }

  protected assertWeightsFinite(fn: string): void {
    for (const p of this.parameters()) {
      const bad = this.ctx.kernels.countNonFinite(p.size, p.value);
      if (bad) throw new GatedError(`${fn}: weight ${p.name} contains ${bad} NaN or infinite values`);
    }
  }

}

// Optimizers over a layer's parameters, with torch.optim's defaults and
// update rules; each step is one kernel call per parameter tensor.

import { GatedError } from "../errors.ts";
import type { EngineContext } from "../layers/context.ts";
import { checkParameters, type Parameter } from "../layers/parameter.ts";
import { isPlainObject, kindOf } from "../util/check.ts";
import { assertFinite, type Tensor } from "../tensor.ts";

export type OptimizerKind = "sgd" | "adam" | "adamw" | "rmsprop" | "adagrad";

export interface OptimizerOptions {
  lr?: number;
  weightDecay?: number;
  /** sgd, rmsprop */
  momentum?: number;
  /** sgd */
  dampening?: number;
  nesterov?: boolean;
  /** adam, adamw */
  betas?: [number, number];
  eps?: number;
  /** rmsprop */
  alpha?: number;
  centered?: boolean;
  /** adagrad */
  lrDecay?: number;
  initialAccumulatorValue?: number;
}

const DEFAULTS: Record<OptimizerKind, Required<Pick<OptimizerOptions, "lr" | "weightDecay" | "eps">>> = {
  sgd: { lr: 1e-3, weightDecay: 0, eps: 0 },
  adam: { lr: 1e-3, weightDecay: 0, eps: 1e-8 },
  adamw: { lr: 1e-3, weightDecay: 1e-2, eps: 1e-8 },
  rmsprop: { lr: 1e-2, weightDecay: 0, eps: 1e-8 },
  adagrad: { lr: 1e-2, weightDecay: 0, eps: 1e-10 },
};

const ALLOWED: Record<OptimizerKind, string[]> = {
  sgd: ["lr", "weightDecay", "momentum", "dampening", "nesterov"],
  adam: ["lr", "weightDecay", "betas", "eps"],
  adamw: ["lr", "weightDecay", "betas", "eps"],
  rmsprop: ["lr", "weightDecay", "momentum", "alpha", "eps", "centered"],
  adagrad: ["lr", "weightDecay", "lrDecay", "eps", "initialAccumulatorValue"],
};

/** Per-parameter state buffers (pointers; 0 where the variant needs none). */
interface Slots {
  a: number;
  b: number;
  c: number;
}

/** torch.optim's name for each state buffer a, b, c. */
const SLOT_NAMES: Record<OptimizerKind, [string, string, string]> = {
  sgd: ["momentum_buffer", "", ""],
  adam: ["exp_avg", "exp_avg_sq", ""],
  adamw: ["exp_avg", "exp_avg_sq", ""],
  rmsprop: ["square_avg", "grad_avg", "momentum_buffer"],
  adagrad: ["sum", "", ""],
};

/** What it takes to continue exactly where an optimizer left off. */
export interface OptimizerState {
  steps: number;
  lr: number;
  /** Every state buffer, keyed `${buffer}.${parameter name}` (exp_avg.encoder.rnn.weight_ih_l0, …). */
  tensors: Record<string, Tensor>;
}

export class Optimizer {
  /** Learning rate of the next step; schedules change it between steps. */
  lr: number;
  private steps = 0;
  private disposed = false;
  private readonly o: OptimizerOptions & typeof DEFAULTS.sgd;
  private readonly slots: Slots[];

  constructor(
    private readonly ctx: EngineContext,
    readonly kind: OptimizerKind,
    private readonly params: readonly Parameter[],
    options: OptimizerOptions = {},
  ) {
    if (!Object.hasOwn(DEFAULTS, kind)) throw new GatedError(`unknown optimizer "${String(kind)}"; use one of ${Object.keys(DEFAULTS).join(", ")}`);
    checkParameters(ctx, params, `${kind} optimizer`);
    if (!isPlainObject(options)) throw new GatedError(`${kind}: options must be an object, got ${kindOf(options)}`);
    const unknown = Object.keys(options).filter((k) => !ALLOWED[kind].includes(k));
    if (unknown.length) throw new GatedError(`${kind}: unknown options ${unknown.join(", ")}; allowed: ${ALLOWED[kind].join(", ")}`);
    this.o = { ...DEFAULTS[kind], ...options };
    validate(kind, this.o);
    this.lr = this.o.lr;
    const { momentum = 0, centered = false, initialAccumulatorValue = 0 } = this.o;
    const zeros = (p: Parameter, value = 0) => {
      const ptr = ctx.arena.alloc(p.size * 4);
      ctx.kernels.fill(p.size, ptr, value);
      return ptr;
    };
    this.slots = ctx.arena.atomically(() => params.map((p) => {
      switch (kind) {
        case "sgd":
          return { a: momentum ? zeros(p) : 0, b: 0, c: 0 };
        case "adam":
        case "adamw":
          return { a: zeros(p), b: zeros(p), c: 0 };
        case "rmsprop":
          return { a: zeros(p), b: centered ? zeros(p) : 0, c: momentum ? zeros(p) : 0 };
        case "adagrad":
          return { a: zeros(p, initialAccumulatorValue), b: 0, c: 0 };
      }
    }));
  }

  get stepCount(): number {
    return this.steps;
  }

  /** The step count, rate and buffers, for a checkpoint; `names` are the parameters' state-dict names. */
  state(names: readonly string[]): OptimizerState {
    const tensors: Record<string, Tensor> = {};
    this.eachBuffer(names, (key, ptr, p) => {
      tensors[key] = { shape: [...p.shape], data: this.ctx.heap.f.slice(ptr >> 2, (ptr >> 2) + p.size) };
    });
    return { steps: this.steps, lr: this.lr, tensors };
  }

  /** Puts back a state() of an optimizer of the same kind over parameters of the same names and shapes; checks it all before writing. */
  loadState(state: OptimizerState, names: readonly string[]): void {
    if (!(Number.isInteger(state.steps) && state.steps >= 0)) throw new GatedError(`${this.kind} state: steps must be a non-negative integer, got ${state.steps}`);
    if (!(Number.isFinite(state.lr) && state.lr >= 0)) throw new GatedError(`${this.kind} state: lr must be a finite number ≥ 0, got ${state.lr}`);
    const writes: [number, ArrayLike<number>][] = [];
    this.eachBuffer(names, (key, ptr, p) => {
      const t = state.tensors[key];
      if (!t) throw new GatedError(`${this.kind} state: ${key} is missing`);
      if (t.shape.join() !== p.shape.join() || t.data.length !== p.size) throw new GatedError(`${this.kind} state: ${key} has shape [${t.shape.join(", ")}], expected [${p.shape.join(", ")}]`);
      assertFinite(`${this.kind} state: ${key}`, t.data);
      writes.push([ptr, t.data]);
    });
    for (const [ptr, data] of writes) this.ctx.heap.f.set(data, ptr >> 2);
    this.steps = state.steps;
    this.lr = state.lr;
  }

  private eachBuffer(names: readonly string[], fn: (key: string, ptr: number, p: Parameter) => void): void {
    if (this.disposed) throw new GatedError(`this ${this.kind} optimizer was disposed`);
    if (names.length !== this.params.length) throw new GatedError(`${this.kind}: ${names.length} names for ${this.params.length} parameters`);
    const slotNames = SLOT_NAMES[this.kind];
    this.params.forEach((p, i) => {
      const s = this.slots[i];
      [s.a, s.b, s.c].forEach((ptr, j) => ptr && fn(`${slotNames[j]}.${names[i]}`, ptr, p));
    });
  }

  /** Applies one update from the parameters' current gradients. */
  step(): void {
    if (this.disposed) throw new GatedError(`this ${this.kind} optimizer was disposed; it cannot step any more`);
    this.ctx.arena.assertOpen();
    if (!(this.lr >= 0) || !Number.isFinite(this.lr)) throw new GatedError(`${this.kind}: learning rate must be a finite number ≥ 0, got ${this.lr}`);
    const k = this.ctx.kernels;
    const o = this.o;
    const t = ++this.steps;
    const lr = this.lr;
    const wd = o.weightDecay;
    this.params.forEach((p, i) => {
      const s = this.slots[i];
      switch (this.kind) {
        case "sgd":
          k.sgdStep(p.size, p.value, p.grad, s.a, lr, o.momentum ?? 0, o.dampening ?? 0, wd, !!o.nesterov, t === 1);
          break;
        case "adam":
        case "adamw": {
          const [b1, b2] = o.betas ?? [0.9, 0.999];
          k.adamStep(p.size, p.value, p.grad, s.a, s.b, lr, b1, b2, o.eps, wd, this.kind === "adamw", 1 - b1 ** t, 1 - b2 ** t);
          break;
        }
        case "rmsprop":
          k.rmspropStep(p.size, p.value, p.grad, s.a, s.b, s.c, lr, o.alpha ?? 0.99, o.eps, wd, o.momentum ?? 0);
          break;
        case "adagrad":
          k.adagradStep(p.size, p.value, p.grad, s.a, lr / (1 + (t - 1) * (o.lrDecay ?? 0)), o.eps, wd);
          break;
      }
    });
  }

  dispose(): void {
    if (this.disposed) return;
    for (const s of this.slots) for (const ptr of [s.a, s.b, s.c]) if (ptr) this.ctx.arena.release(ptr);
    this.slots.length = 0;
    this.disposed = true;
  }
}

function validate(kind: OptimizerKind, o: OptimizerOptions): void {
  const fail = (msg: string) => {
    throw new GatedError(`${kind}: ${msg}`);
  };
  const nonNegative = (name: keyof OptimizerOptions) => {
    const v = o[name];
    if (v !== undefined && (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v))) fail(`${name} must be a finite number ≥ 0, got ${String(v)}`);
  };
  for (const name of ["lr", "weightDecay", "momentum", "dampening", "eps", "lrDecay", "initialAccumulatorValue"] as const) nonNegative(name);
  if (o.alpha !== undefined && !(o.alpha >= 0 && o.alpha <= 1)) fail(`alpha must be in [0, 1], got ${o.alpha}`);
  if (o.betas !== undefined) {
    if (!Array.isArray(o.betas) || o.betas.length !== 2 || !o.betas.every((b) => b >= 0 && b < 1)) {
      fail(`betas must be two numbers in [0, 1), got ${JSON.stringify(o.betas)}`);
    }
  }
  if (o.nesterov && (!o.momentum || o.dampening)) fail("nesterov needs momentum > 0 and dampening 0");
}

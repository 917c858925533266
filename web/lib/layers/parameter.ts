// A trainable tensor in engine memory: its value, its gradient and the name
// and shape it has in a PyTorch state dict.

import { GatedError } from "../errors.ts";
import { assertFinite, formatShape, numel, type Tensor, type TensorLike, toTensorLike } from "../tensor.ts";
import type { EngineContext } from "./context.ts";

export class Parameter {
  readonly size: number;
  private disposed = false;

  constructor(
    private readonly ctx: EngineContext,
    readonly name: string,
    readonly shape: number[],
    private valuePtr: number,
    /** Pointer to the gradient, owned by whoever made this parameter. */
    private readonly gradPtr: number,
  ) {
    this.size = numel(shape);
  }

  /** Pointer to the values (another engine's, over the same memory, after Module.bindWeights). */
  get value(): number {
    this.assertLive();
    return this.valuePtr;
  }

  /** Pointer to the gradient. */
  get grad(): number {
    this.assertLive();
    return this.gradPtr;
  }

  /**
   * Marks the parameter unusable: its memory goes back to the engine and may
   * soon hold another layer's weights, so every later use must be refused.
   */
  dispose(): void {
    this.disposed = true;
  }

  /** Whether this parameter lives in the given engine's memory. */
  belongsTo(ctx: EngineContext): boolean {
    return this.ctx === ctx;
  }

  private assertLive(): void {
    if (this.disposed) throw new GatedError(`parameter ${this.name} belongs to a disposed layer or model; it cannot be used any more`);
  }

  /** Points the values elsewhere; only Module.bindWeights does this. */
  rebind(ptr: number): void {
    this.valuePtr = ptr;
  }

  /** A copy of the values. */
  values(): Tensor {
    return this.copy(this.value);
  }

  /** A copy of the gradient. */
  gradient(): Tensor {
    return this.copy(this.grad);
  }

  /** Replaces the values (checked for shape and finiteness first). */
  set(values: TensorLike): void {
    this.ctx.heap.f.set(this.check(values, "values"), this.value >> 2);
  }

  /** Replaces the gradient, e.g. one computed elsewhere. */
  setGradient(grad: TensorLike): void {
    this.ctx.heap.f.set(this.check(grad, "gradient"), this.grad >> 2);
  }

  /** Validates a tensor for this parameter without writing it; returns its data. `name` is how messages call it (its state-dict name). */
  check(value: TensorLike, what = "values", name = this.name): ArrayLike<number> {
    let t: { shape: number[]; data: ArrayLike<number> };
    try {
      t = toTensorLike(value, `${name} ${what}`);
    } catch (e) {
      throw new GatedError(`${(e as Error).message}; expected shape ${formatShape(this.shape)}`);
    }
    if (formatShape(t.shape) !== formatShape(this.shape)) {
      throw new GatedError(`${name}: ${what} have shape ${formatShape(t.shape)}, expected ${formatShape(this.shape)}`);
    }
    assertFinite(`${name} ${what}`, t.data);
    return t.data;
  }

  private copy(ptr: number): Tensor {
    const start = ptr >> 2;
    return { shape: [...this.shape], data: this.ctx.heap.f.slice(start, start + this.size) };
  }
}

/**
 * Refuses parameters that are not Parameters of `ctx`: kernels index the
 * engine's own memory by their pointers, so another engine's parameter would
 * read and write an unrelated tensor of this one.
 */
export function checkParameters(ctx: EngineContext, params: unknown, what: string): asserts params is readonly Parameter[] {
  if (!Array.isArray(params)) throw new GatedError(`${what}: parameters must be an array of Parameters, got ${params === null ? "null" : typeof params}`);
  for (const [i, p] of params.entries()) {
    if (!(p instanceof Parameter)) throw new GatedError(`${what}: parameters[${i}] is not a Parameter`);
    if (!p.belongsTo(ctx)) throw new GatedError(`${what}: parameter ${p.name} belongs to another engine; use that engine's optimizer and clipping`);
  }
}

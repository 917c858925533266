// The base of every layer and model: named parameters (PyTorch's dotted
// state-dict names for nested modules), training or evaluation mode, and the
// memory it owns.

import { GatedError } from "../errors.ts";
import { formatShape, numel, type Tensor, type TensorLike } from "../tensor.ts";
import type { EngineContext } from "./context.ts";
import { Parameter } from "./parameter.ts";
import { Buffers } from "../memory/region.ts";

/** A module's parameters as names and shapes, in state-dict order, known before anything is allocated. */
export type Shapes = [string, number[]][];

/** Shapes of a child module under its state-dict prefix. */
export const nest = (prefix: string, shapes: Shapes): Shapes => shapes.map(([name, shape]) => [`${prefix}.${name}`, shape]);

export abstract class Module {
  /** Dropout is active only in training mode (the default, as in PyTorch). */
  training = true;
  protected readonly buffers: Buffers;
  private readonly own: Parameter[] = [];
  private readonly children: [string, Module][] = [];
  private readonly owned: number[] = [];

  private disposed = false;

  constructor(protected readonly ctx: EngineContext) {
    this.buffers = new Buffers(ctx.arena, this.constructor.name);
  }

  /** Every parameter, this module's first, then its children's under "name." prefixes. */
  namedParameters(prefix = ""): [string, Parameter][] {
    if (this.disposed) throw new GatedError(`this ${this.constructor.name} was disposed; it cannot be used any more`);
    const out: [string, Parameter][] = this.own.map((p) => [prefix + p.name, p]);
    for (const [name, child] of this.children) out.push(...child.namedParameters(`${prefix}${name}.`));
    return out;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  train(on = true): this {
    this.training = on;
    for (const [, child] of this.children) child.train(on);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Runs fn in evaluation mode (no dropout), then restores the mode the module was in. */
  evaluating<R>(fn: () => R): R {
    const wasTraining = this.training;
    this.eval();
    try {
      return fn();
    } finally {
      this.train(wasTraining);
    }
  }

  zeroGrad(): void {
    for (const p of this.parameters()) this.ctx.kernels.fill(p.size, p.grad, 0);
  }

  stateDict(): Record<string, Tensor> {
    return Object.fromEntries(this.namedParameters().map(([name, p]) => [name, p.values()]));
  }

  /** Loads every entry (PyTorch names and shapes); checks all of them before writing any. */
  loadStateDict(dict: Record<string, TensorLike>): void {
    const named = this.namedParameters();
    const names = new Set(named.map(([n]) => n));
    const where = this.constructor.name;
    if (!dict || typeof dict !== "object" || Array.isArray(dict)) {
      throw new GatedError(`${where}.loadStateDict: expected an object of tensors keyed by parameter name, got ${dict === null ? "null" : Array.isArray(dict) ? "an array" : typeof dict}`);
    }
    const unknown = Object.keys(dict).filter((k) => !names.has(k));
    if (unknown.length) throw new GatedError(`${where}.loadStateDict: unknown entries ${unknown.join(", ")}; expected ${[...names].join(", ")}`);
    const missing = [...names].filter((k) => !(k in dict));
    if (missing.length) throw new GatedError(`${where}.loadStateDict: missing entries ${missing.join(", ")}`);
    const checked = named.map(([name, p]) => p.check(dict[name], "values", name));
    named.forEach(([, p], i) => this.ctx.heap.f.set(checked[i], p.value >> 2));
  }

  /**
   * Frees this module's memory and its children's (not weights it only
   * borrows). Any later use of the module or its parameters is refused;
   * disposing again does nothing.
   */
  dispose(): void {
    if (this.disposed) return;
    for (const [, child] of this.children) child.dispose();
    for (const p of this.own) p.dispose();
    for (const ptr of this.owned) this.ctx.arena.release(ptr);
    this.owned.length = 0;
    this.buffers.close();
    this.disposed = true;
  }

  /**
   * Runs a call that may take memory: if it is refused part-way (a request
   * beyond the engine's limit), every block it took is given back, so a
   * smaller request can then succeed.
   */
  protected attempt<R>(fn: () => R): R {
    return this.ctx.arena.atomically(fn);
  }

  protected addChild<M extends Module>(name: string, child: M): M {
    this.children.push([name, child]);
    return child;
  }

  /**
   * Makes every parameter use the values at the given pointers (state-dict
   * names → pointers into the same memory, e.g. another engine's model, as a
   * worker does for data-parallel training). This module's own value blocks
   * are freed; the bound ones are never freed by it.
   */
  bindWeights(pointers: Record<string, number>, prefix = ""): void {
    for (const p of this.own) {
      const ptr = pointers[prefix + p.name];
      if (ptr === undefined) throw new GatedError(`bindWeights: no pointer for ${prefix + p.name}`);
      const i = this.owned.indexOf(p.value);
      if (i >= 0) this.arena.release(this.owned.splice(i, 1)[0]);
      p.rebind(ptr);
    }
    for (const [name, child] of this.children) child.bindWeights(pointers, `${prefix}${name}.`);
  }

  /** State-dict names → value pointers, for bindWeights elsewhere. */
  weightPointers(): Record<string, number> {
    return Object.fromEntries(this.namedParameters().map(([n, p]) => [n, p.value]));
  }

  private get arena() {
    return this.ctx.arena;
  }

  /** Parameters for each of `shapes` (see addParameter), by name. */
  protected addParameters(shapes: Shapes): Record<string, Parameter> {
    return Object.fromEntries(shapes.map(([name, shape]) => [name, this.addParameter(name, shape)]));
  }

  /** A parameter with its values and a zeroed gradient allocated here. */
  private addParameter(name: string, shape: number[]): Parameter {
    const floats = numel(shape);
    if (!shape.every((d) => Number.isInteger(d) && d > 0)) throw new GatedError(`parameter ${name}: invalid shape ${formatShape(shape)}`);
    const value = this.alloc(floats);
    const grad = this.alloc(floats);
    this.ctx.kernels.fill(floats, grad, 0);
    const p = new Parameter(this.ctx, name, shape, value, grad);
    this.own.push(p);
    return p;
  }

  private alloc(floats: number): number {
    const ptr = this.ctx.arena.alloc(floats * 4);
    this.owned.push(ptr);
    return ptr;
  }
}

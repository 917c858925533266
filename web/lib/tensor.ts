// Tensors as users hand them over and get them back: a shape and a flat,
// row-major array. Input may be {shape, data} or nested arrays; output is
// always a fresh copy that later engine calls never overwrite.

import { GatedError } from "./errors.ts";
import type { FloatArray } from "./memory/heap.ts";

export interface Tensor {
  readonly shape: number[];
  readonly data: FloatArray;
}

type Nested = number | readonly Nested[];
export type TensorLike = { readonly shape: readonly number[]; readonly data: ArrayLike<number> } | readonly Nested[];

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export const formatShape = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

/** Builds a float32 tensor from flat data and a shape, or from nested arrays. */
export function tensor(data: ArrayLike<number> | readonly Nested[], shape?: readonly number[]): Tensor {
  const t = shape ? toTensorLike({ shape, data: data as ArrayLike<number> }, "tensor") : toTensorLike(data as readonly Nested[], "tensor");
  return { shape: [...t.shape], data: Float32Array.from(t.data) };
}

/** Checks a user value and returns its shape and flat data (not copied when already flat). */
export function toTensorLike(value: unknown, what: string): { shape: number[]; data: ArrayLike<number> } {
  if (Array.isArray(value)) return fromNested(value, what);
  const v = value as { shape?: unknown; data?: unknown } | null;
  if (!v || typeof v !== "object" || !Array.isArray(v.shape) || !isArrayLike(v.data)) {
    throw new GatedError(`${what} must be a tensor {shape, data} or nested arrays of numbers`);
  }
  const shape = v.shape as unknown[];
  if (!shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new GatedError(`${what} has an invalid shape ${JSON.stringify(shape)}: dimensions must be non-negative integers`);
  }
  const dims = shape as number[];
  const data = v.data as ArrayLike<number>;
  if (data.length !== numel(dims)) {
    throw new GatedError(`${what} has shape ${formatShape(dims)} (${numel(dims)} values) but ${data.length} values`);
  }
  return { shape: [...dims], data };
}

function isArrayLike(x: unknown): x is ArrayLike<number> {
  return ArrayBuffer.isView(x) || Array.isArray(x);
}

function fromNested(value: readonly Nested[], what: string): { shape: number[]; data: number[] } {
  const shape: number[] = [];
  for (let level: Nested = value; Array.isArray(level); level = (level as readonly Nested[])[0]) {
    shape.push((level as readonly Nested[]).length);
    if ((level as readonly Nested[]).length === 0) break;
  }
  const data: number[] = [];
  const walk = (node: Nested, depth: number, path: string) => {
    if (depth === shape.length) {
      if (typeof node !== "number") throw new GatedError(`${what}${path} is ${JSON.stringify(node)}, not a number`);
      data.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new GatedError(`${what} is ragged: ${what}${path} should have ${shape[depth]} entries like its first sibling`);
    }
    node.forEach((child: Nested, i: number) => walk(child, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, "");
  return { shape, data };
}

export function countNonFinite(data: ArrayLike<number>): number {
  let bad = 0;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) bad++;
  return bad;
}

/** Refuses data with NaN or ±Inf, naming where it came from. */
export function assertFinite(what: string, data: ArrayLike<number>): void {
  const bad = countNonFinite(data);
  if (bad) throw new GatedError(`${what} contains ${bad} NaN or infinite values`);
}

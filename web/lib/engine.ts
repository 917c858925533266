// An engine: one memory, its arena, and the kernels of one backend over it.
//   wasm-simd  the SIMD build (relaxed-SIMD FMA where the platform has it)
//   wasm       the same algorithm as a scalar Wasm build
//   js         the JS twin, optionally in float64 for gradient checks
// Engines in workers attach to a region of another engine's shared memory.

import { GatedError } from "./errors.ts";
import type { Kernels } from "./backends/kernels.ts";
import { bestBackend, canShareMemory, hasRelaxedSimd, hasSimd, hasWasm } from "./backends/features.ts";
import { PlainMemory } from "./memory/plain-memory.ts";
import { instantiateKernels, type WasmVariant, wasmModule } from "./backends/wasm.ts";
import { createTwinKernels } from "./twin/index.ts";
import { Arena } from "./memory/arena.ts";
import { Heap, type Precision } from "./memory/heap.ts";
import { Buffers } from "./memory/region.ts";
import type { EngineContext } from "./layers/context.ts";
import { Parameter } from "./layers/parameter.ts";
import { Recurrent, type RecurrentDescriptor, type RecurrentKind, type RecurrentOptions } from "./layers/recurrent.ts";
import { Embedding, type EmbeddingOptions } from "./layers/embedding.ts";
import { Linear, type LinearOptions } from "./layers/linear.ts";
import { Dropout } from "./layers/dropout.ts";
import { Pool, type PoolMode } from "./layers/pool.ts";
import { Merge, type MergeMode } from "./layers/merge.ts";
import { Attention, type AttentionOptions } from "./layers/attention.ts";
import { Losses } from "./layers/losses.ts";
import { Optimizer, type OptimizerKind, type OptimizerOptions } from "./optim/optimizer.ts";
import { clipGradNorm, clipGradValue } from "./optim/clip.ts";
import { Random } from "./util/random.ts";
import { isPlainObject, kindOf, onlyKeys, optionalBoolean } from "./util/check.ts";

export type Backend = "wasm-simd" | "wasm" | "js";
export const BACKENDS: readonly Backend[] = ["wasm-simd", "wasm", "js"];

export interface EngineOptions {
  /** Default: the best this platform has — "wasm-simd", else "wasm", else "js" (no WebAssembly at all). */
  backend?: Backend;
  /** "float64" runs the js backend in double precision (for gradient checks). */
  precision?: Precision;
  /** Use the relaxed-SIMD (FMA) build when the platform supports it; default true. */
  relaxedSimd?: boolean;
  /** Share memory with workers; default: when the platform allows. true demands it. */
  shared?: boolean;
  initialMemoryMB?: number;
  /** Upper bound on the engine's memory; requests beyond it are refused. Default 1024. */
  maxMemoryMB?: number;
  /** Seed for weight initialisation; default random. */
  seed?: number;
  /** Run over a region of memory another engine owns (a worker's view of shared memory). */
  attach?: { memory: WebAssembly.Memory; region: MemoryRegion };
  /** A compiled engine build to run instead of the bundled one (e.g. a profiling build with function names). */
  module?: WebAssembly.Module;
}

export interface MemoryRegion {
  base: number;
  bytes: number;
}

const MB = 1048576;
const PAGE = 65536;
/** The first page stays unused: pointer 0 means "none" in every kernel. */
const RESERVED = PAGE;

export class Engine implements EngineContext {
  private readonly buffers: Buffers;
  readonly rngState: number;

  private constructor(
    readonly backend: Backend,
    /** The build that runs: simd, relaxed, scalar or js. */
    readonly variant: WasmVariant | "js",
    readonly memory: WebAssembly.Memory,
    readonly heap: Heap,
    readonly kernels: Kernels,
    readonly arena: Arena,
    readonly random: Random,
  ) {
    this.buffers = new Buffers(arena, "this engine");
    this.rngState = arena.alloc(4);
    // xorshift32 must not start at zero.
    heap.i32[this.rngState >> 2] = random.nextUint32() | 1;
  }

  static async create(options: EngineOptions = {}): Promise<Engine> {
    onlyKeys(options, ["backend", "precision", "relaxedSimd", "shared", "initialMemoryMB", "maxMemoryMB", "seed", "attach", "module"], "createEngine's options");
    optionalBoolean(options.relaxedSimd, "relaxedSimd");
    optionalBoolean(options.shared, "shared");
    if (options.module !== undefined && !(hasWasm() && options.module instanceof WebAssembly.Module)) throw new GatedError(`module must be a compiled WebAssembly.Module, got ${kindOf(options.module)}`);
    if (options.attach !== undefined) checkAttach(options.attach);
    const backend = options.backend ?? bestBackend();
    if (!BACKENDS.includes(backend)) throw new GatedError(`unknown backend "${backend}"; use one of ${BACKENDS.join(", ")}`);
    const precision = options.precision ?? "float32";
    if (precision !== "float32" && precision !== "float64") throw new GatedError(`precision must be "float32" or "float64", got "${precision}"`);
    if (precision === "float64" && backend !== "js") throw new GatedError(`precision "float64" needs backend "js" (Wasm kernels are float32)`);
    if (backend !== "js" && !hasWasm()) throw new GatedError(`this platform runs no WebAssembly (Lockdown Mode, or a hardened browser); use backend "js"`);
    if (backend === "wasm-simd" && !hasSimd()) throw new GatedError("this platform's WebAssembly lacks SIMD; use backend \"wasm\" or \"js\"");
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    if (!Number.isSafeInteger(seed)) throw new GatedError(`seed must be an integer, got ${kindOf(seed)}`);

    let memory: WebAssembly.Memory;
    let arenaArgs: [number, number, number, boolean];
    if (options.attach) {
      memory = options.attach.memory;
      const { base, bytes } = options.attach.region;
      arenaArgs = [base, base + bytes, base + bytes, false];
    } else {
      const maxBytes = Math.ceil(((options.maxMemoryMB ?? 1024) * MB) / PAGE) * PAGE;
      const initialBytes = Math.ceil(((options.initialMemoryMB ?? Math.min(16, maxBytes / MB)) * MB) / PAGE) * PAGE;
      if (!(maxBytes >= 2 * PAGE) || maxBytes > 4096 * MB) throw new GatedError(`maxMemoryMB must be between 1 and 4096, got ${options.maxMemoryMB}`);
      if (!(initialBytes >= PAGE) || initialBytes > maxBytes) throw new GatedError(`initialMemoryMB must be between 1 and maxMemoryMB, got ${options.initialMemoryMB}`);
      const shareable = canShareMemory();
      if (options.shared && !shareable) {
        throw new GatedError("shared memory is unavailable here (it needs SharedArrayBuffer and, in browsers, cross-origin isolation)");
      }
      let limit = maxBytes;
      ({ memory, maxBytes: limit } = newMemory(initialBytes, maxBytes, options.shared ?? shareable, !!options.shared));
      arenaArgs = [RESERVED, initialBytes, limit, true];
    }
    const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
    const heap = new Heap(memory, precision);
    let variant: WasmVariant | "js" = "js";
    let kernels: Kernels;
    if (backend === "js") kernels = createTwinKernels(heap);
    else {
      variant = backend === "wasm" ? "scalar" : options.relaxedSimd !== false && hasRelaxedSimd() ? "relaxed" : "simd";
      kernels = await instantiateKernels(options.module ?? (await wasmModule(variant, shared)), memory).catch((e: unknown) => {
        if (e instanceof GatedError) throw e;
        // A module built for another kind of memory (shared or not) or another contract.
        throw new GatedError(`the engine build cannot run over this memory: ${(e as Error).message}`);
      });
    }
    return new Engine(backend, variant, memory, heap, kernels, new Arena(memory, ...arenaArgs), new Random(seed));
  }

  get shared(): boolean {
    return typeof SharedArrayBuffer !== "undefined" && this.memory.buffer instanceof SharedArrayBuffer;
  }

  get precision(): Precision {
    return this.heap.precision;
  }

  workspace(floats: number): number {
    return this.buffers.get("work", floats);
  }

  scratch(floats: number): number {
    return this.buffers.get("scratch", floats);
  }

  rnn(options: RecurrentOptions): Recurrent<"rnn"> {
    return this.build(() => new Recurrent(this, "rnn", options));
  }

  lstm(options: RecurrentOptions): Recurrent<"lstm"> {
    return this.build(() => new Recurrent(this, "lstm", options));
  }

  gru(options: RecurrentOptions): Recurrent<"gru"> {
    return this.build(() => new Recurrent(this, "gru", options));
  }

  embedding(options: EmbeddingOptions): Embedding {
    return this.build(() => new Embedding(this, options));
  }

  linear(options: LinearOptions): Linear {
    return this.build(() => new Linear(this, options));
  }

  dropout(p: number): Dropout {
    return new Dropout(this, p);
  }

  pool(mode: PoolMode): Pool {
    return new Pool(this, mode);
  }

  merge(mode: MergeMode): Merge {
    return new Merge(this, mode);
  }

  attention(options: AttentionOptions): Attention {
    return this.build(() => new Attention(this, options));
  }

  losses(): Losses {
    return new Losses(this);
  }

  /** A layer over weights that another engine on the same memory holds (see Recurrent.describe). */
  attachRecurrent(descriptor: RecurrentDescriptor): Recurrent {
    return this.build(() => {
      const layer = new Recurrent(this, descriptor.kind as RecurrentKind, descriptor.options);
      layer.bindWeights(descriptor.weights);
      return layer;
    });
  }

  /** Sets aside a block of this engine's memory for an engine attached from a worker. */
  reserve(bytes: number): MemoryRegion {
    return { base: this.arena.alloc(bytes), bytes };
  }

  /** A standalone trainable tensor (zeros, with a zero gradient) in this engine's memory. */
  parameter(name: string, shape: number[]): Parameter {
    if (typeof name !== "string") throw new GatedError(`a parameter's name must be a string, got ${kindOf(name)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0)) throw new GatedError(`parameter ${name}: the shape must be an array of positive integers, got ${kindOf(shape)}`);
    const size = shape.reduce((a, b) => a * b, 1);
    return this.build(() => {
      const value = this.arena.alloc(size * 4);
      const grad = this.arena.alloc(size * 4);
      this.kernels.fill(size, value, 0);
      this.kernels.fill(size, grad, 0);
      return new Parameter(this, name, [...shape], value, grad);
    });
  }

  optimizer(kind: OptimizerKind, params: readonly Parameter[], options?: OptimizerOptions): Optimizer {
    return new Optimizer(this, kind, params, options);
  }

  clipGradNorm(params: readonly Parameter[], maxNorm: number): number {
    return clipGradNorm(this, params, maxNorm);
  }

  clipGradValue(params: readonly Parameter[], clipValue: number): void {
    clipGradValue(this, params, clipValue);
  }

  /**
   * Gives up the engine: every later request for memory, and so every layer
   * call, is refused. The memory itself goes when nothing references it.
   */
  dispose(): void {
    this.buffers.close();
    this.arena.close();
  }

  /** Builds something that allocates; a failure part-way frees what it took. */
  private build<R>(make: () => R): R {
    return this.arena.atomically(make);
  }
}

/** Smallest maximum worth asking a platform for before giving up on shared memory. */
const LEAST_SHARED_MAXIMUM = 256 * MB;

/**
 * The engine's memory. Safari on iOS refuses a shared memory with a large
 * maximum (RangeError: Out of memory): then a smaller maximum is asked for,
 * down to 256 MiB, and failing that unshared memory (one thread) unless
 * sharing was demanded. Without WebAssembly, plain growable memory.
 */
function newMemory(initialBytes: number, maxBytes: number, shared: boolean, demanded: boolean): { memory: WebAssembly.Memory; maxBytes: number } {
  const initial = initialBytes / PAGE;
  if (!hasWasm()) return { memory: new PlainMemory(initial, maxBytes / PAGE) as WebAssembly.Memory, maxBytes };
  if (shared) {
    for (let max = maxBytes; max >= Math.min(maxBytes, Math.max(initialBytes, LEAST_SHARED_MAXIMUM)); max = Math.floor(max / 2 / PAGE) * PAGE) {
      try {
        return { memory: new WebAssembly.Memory({ initial, maximum: max / PAGE, shared: true }), maxBytes: max };
      } catch {
        // the platform refused this maximum: try half of it
      }
    }
    if (demanded) throw new GatedError(`this platform refused shared memory of even ${Math.max(initialBytes, LEAST_SHARED_MAXIMUM) / MB} MiB`);
  }
  return { memory: new WebAssembly.Memory({ initial, maximum: maxBytes / PAGE, shared: false }), maxBytes };
}

/** An attach option as a worker gets it: a memory and a region inside it. */
function checkAttach(attach: unknown): void {
  const a = attach as EngineOptions["attach"];
  if (!isPlainObject(a) || !hasWasm() || !(a.memory instanceof WebAssembly.Memory) || !isPlainObject(a.region)) {
    throw new GatedError("attach must be { memory: WebAssembly.Memory, region: { base, bytes } }");
  }
  const { base, bytes } = a.region;
  const size = a.memory.buffer.byteLength;
  if (!(Number.isInteger(base) && Number.isInteger(bytes) && base >= RESERVED && bytes > 0 && base + bytes <= size)) {
    throw new GatedError(`attach: the region [${String(base)}, +${String(bytes)}) is not inside the memory's ${size} bytes`);
  }
}

export const createEngine = (options?: EngineOptions): Promise<Engine> => Engine.create(options);

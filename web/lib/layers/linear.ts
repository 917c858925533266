// Fully connected layer (torch.nn.Linear): y = x·Wᵀ + b over M rows, with an
// optional tanh (Luong's attentional hidden state).

import { onlyKeys } from "../util/check.ts";
import { GatedError } from "../errors.ts";
import { Random } from "../util/random.ts";
import type { EngineContext } from "./context.ts";
import { DeviceTensor } from "./device.ts";
import { uniform, xavierUniform } from "./init.ts";
import { Module, type Shapes } from "./module.ts";
import type { Parameter } from "./parameter.ts";

export interface LinearOptions {
  inFeatures: number;
  outFeatures: number;
  bias?: boolean;
  activation?: "tanh";
  /** "pytorch" (default): uniform ±1/√in; "xavier": Glorot uniform weights, zero bias. */
  init?: "pytorch" | "xavier";
  seed?: number;
}

export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias?: Parameter;
  private x = 0;
  private M = 0;
  private ldx = 0;

  constructor(ctx: EngineContext, readonly options: LinearOptions) {
    super(ctx);
    onlyKeys(options, ["inFeatures", "outFeatures", "bias", "activation", "init", "seed"], "linear's options");
    const { inFeatures: K, outFeatures: N, init = "pytorch" } = options;
    if (!Number.isInteger(K) || K < 1 || !Number.isInteger(N) || N < 1) {
      throw new GatedError(`linear: inFeatures and outFeatures must be positive integers, got ${K} and ${N}`);
    }
    const p = this.addParameters(Linear.shapes(options));
    this.weight = p.weight;
    this.bias = p.bias;
    const rng = options.seed === undefined ? ctx.random.fork() : new Random(options.seed);
    const F = ctx.heap.f;
    F.set(init === "xavier" ? xavierUniform(rng, N, K) : uniform(rng, N * K, 1 / Math.sqrt(K)), this.weight.value >> 2);
    if (this.bias) F.set(init === "xavier" ? new Float64Array(N) : uniform(rng, N, 1 / Math.sqrt(K)), this.bias.value >> 2);
  }

  static shapes({ inFeatures, outFeatures, bias = true }: LinearOptions): Shapes {
    return [["weight", [outFeatures, inFeatures]], ...(bias ? ([["bias", [outFeatures]]] as Shapes) : [])];
  }

  /** y for M rows of inFeatures at x (row stride ldx; kept until backward). `shape` names y's leading dimensions. */
  forward(x: number, M: number, shape: number[] = [M], ldx = this.options.inFeatures): DeviceTensor {
    const { inFeatures: K, outFeatures: N, activation } = this.options;
    const k = this.ctx.kernels;
    const y = this.buffers.get("y", M * N);
    k.linearForward(M, N, K, x, ldx, this.weight.value, this.bias?.value ?? 0, 0, y, N, this.work(M));
    if (activation === "tanh") k.tanh(M * N, y, y);
    Object.assign(this, { x, M, ldx });
    return new DeviceTensor(this.ctx, y, [...shape, N]);
  }

  /** From dy (M rows of outFeatures) adds into the parameter gradients; returns dx (M×inFeatures) unless inputGrad is false. */
  backward(dy: number, { inputGrad = true } = {}): DeviceTensor | null {
    const { inFeatures: K, outFeatures: N, activation } = this.options;
    const k = this.ctx.kernels;
    const M = this.M;
    let g = dy;
    if (activation === "tanh") k.tanhBackward(M * N, this.buffers.get("y", M * N), dy, (g = this.buffers.get("dpre", M * N)));
    const dx = inputGrad ? this.buffers.get("dx", M * K) : 0;
    if (dx) k.fill(M * K, dx, 0);
    k.linearBackward(M, N, K, g, N, this.x, this.ldx, this.weight.value, this.weight.grad, this.bias?.grad ?? 0, dx, K, this.work(M));
    return dx ? new DeviceTensor(this.ctx, dx, [M, K]) : null;
  }

  private work(M: number): number {
    const { inFeatures: K, outFeatures: N } = this.options;
    return this.ctx.workspace(this.ctx.kernels.linearWork(M, N, K));
  }
}

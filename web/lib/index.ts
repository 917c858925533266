// Gated: recurrent networks (RNN, LSTM, GRU) that train in WebAssembly SIMD.

export { createEngine, Engine, BACKENDS } from "./engine.ts";
export type { Backend, EngineOptions, MemoryRegion } from "./engine.ts";
export { GatedError } from "./errors.ts";
export { tensor, numel } from "./tensor.ts";
export type { Tensor, TensorLike } from "./tensor.ts";
export type { FloatArray, Precision } from "./memory/heap.ts";
export { Recurrent } from "./layers/recurrent.ts";
export type {
  RecurrentKind, RecurrentOptions, ForwardOptions, ForwardResult, BackwardGrads, BackwardResult, RecurrentDescriptor,
} from "./layers/recurrent.ts";
export { Parameter } from "./layers/parameter.ts";
export { Module } from "./layers/module.ts";
export { DeviceTensor } from "./layers/device.ts";
export { Embedding, type EmbeddingOptions } from "./layers/embedding.ts";
export { Linear, type LinearOptions } from "./layers/linear.ts";
export { Dropout } from "./layers/dropout.ts";
export { Pool, type PoolMode } from "./layers/pool.ts";
export { Merge, type MergeMode } from "./layers/merge.ts";
export { Attention, type AttentionOptions, type AttentionScore } from "./layers/attention.ts";
export { Losses, type LossResult } from "./layers/losses.ts";
export type { RecurrentInit, RunResult, RunGrads } from "./layers/recurrent.ts";
export { Optimizer } from "./optim/optimizer.ts";
export type { OptimizerKind, OptimizerOptions } from "./optim/optimizer.ts";
export { gradNorm } from "./optim/clip.ts";
export { hasSimd, hasRelaxedSimd, canShareMemory } from "./backends/features.ts";

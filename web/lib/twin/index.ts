// The JS twin: the engine's kernels in plain TypeScript over the same memory
// and pointers, for the Wasm-vs-JS comparison and for float64 gradient checks.

import { checkKernels, type Kernels } from "../backends/kernels.ts";
import type { Heap } from "../memory/heap.ts";
import {
  add, axpy, clamp, copyRows, countNonFinite, fill, mul, scale, sumSquares, tanh, tanhBackward,
} from "./elementwise.ts";
import { softmaxCrossEntropy } from "./softmax.ts";
import { linearBackward, linearForward } from "./linear.ts";
import { bceWithLogits, squaredError } from "./loss.ts";
import { dropoutMask } from "./random.ts";
import { embeddingBackward, embeddingForward } from "./layers/embedding.ts";
import { poolMaxBackward, poolMaxForward, poolMeanBackward, poolMeanForward } from "./layers/pooling.ts";
import { mergeBackward, mergeForward } from "./layers/merge.ts";
import { attentionBackward, attentionForward } from "./layers/attention.ts";
import { rnnBackward, rnnForward } from "./cells/rnn.ts";
import { lstmBackward, lstmForward } from "./cells/lstm.ts";
import { gruBackward, gruForward } from "./cells/gru.ts";
import { sgdStep } from "./optim/sgd.ts";
import { adamStep } from "./optim/adam.ts";
import { rmspropStep } from "./optim/rmsprop.ts";
import { adagradStep } from "./optim/adagrad.ts";
import { peakProbe } from "./probe.ts";
import { attentionWork, gruWork, linearWork, lstmWork, rnnWork } from "./work.ts";

type WithHeap<K> = { [N in keyof K]: K[N] extends (...args: infer A) => infer R ? (h: Heap, ...args: A) => R : never };

const twin: WithHeap<Kernels> = {
  fill, axpy, add, mul, scale, clamp, countNonFinite, sumSquares, tanh, tanhBackward, copyRows,
  linearForward, linearBackward, softmaxCrossEntropy, bceWithLogits, squaredError, dropoutMask,
  rnnForward, rnnBackward, lstmForward, lstmBackward, gruForward, gruBackward,
  embeddingForward, embeddingBackward, poolMeanForward, poolMeanBackward, poolMaxForward, poolMaxBackward,
  mergeForward, mergeBackward, attentionForward, attentionBackward,
  sgdStep, adamStep, rmspropStep, adagradStep,
  // Sizes and the probe read no memory; bound like the others for one contract.
  linearWork: (_h, M, N, K) => linearWork(M, N, K),
  rnnWork: (_h, T, B, I, H) => rnnWork(T, B, I, H),
  lstmWork: (_h, T, B, I, H) => lstmWork(T, B, I, H),
  gruWork: (_h, T, B, I, H, resetAfter) => gruWork(T, B, I, H, resetAfter),
  attentionWork: (_h, Td, Ts, B, Hq, Hk, A) => attentionWork(Td, Ts, B, Hq, Hk, A),
  peakProbe: (_h, iterations, op) => peakProbe(iterations, op),
  peakProbeLanes: (_h) => 1,
  peakProbeFused: (_h) => false,
};

export function createTwinKernels(heap: Heap): Kernels {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(twin)) {
    const call = (...args: unknown[]) => (fn as (h: Heap, ...a: unknown[]) => unknown)(heap, ...args);
    // The heap is bound: one argument fewer, as the contract counts them for the Wasm builds too.
    bound[name] = Object.defineProperty(call, "length", { value: fn.length - 1 });
  }
  return checkKernels(bound, "the JS twin");
}

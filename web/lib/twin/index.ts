// The JS twin: the engine's kernels in plain TypeScript over the same memory
// and pointers, for the Wasm-vs-JS comparison and for float64 gradient checks.

import type { Kernels } from "../backends/kernels.ts";
import type { Heap } from "../memory/heap.ts";
import * as gemm from "./gemm.ts";
import * as elementwise from "./elementwise.ts";
import * as softmax from "./softmax.ts";
import { linearBackward, linearForward } from "./linear.ts";
import { bceWithLogits, squaredError } from "./loss.ts";
import { dropoutMask } from "./random.ts";
import { embeddingBackward, embeddingForward } from "./layers/embedding.ts";
import * as pooling from "./layers/pooling.ts";
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

type WithHeap<K> = { [N in keyof K]: K[N] extends (...args: infer A) => infer R ? (h: Heap, ...args: A) => R : never };

const twin: WithHeap<Kernels> = {
  ...gemm,
  ...elementwise,
  ...softmax,
  ...pooling,
  linearForward, linearBackward, bceWithLogits, squaredError, dropoutMask,
  rnnForward, rnnBackward, lstmForward, lstmBackward, gruForward, gruBackward,
  embeddingForward, embeddingBackward, mergeForward, mergeBackward, attentionForward, attentionBackward,
  sgdStep, adamStep, rmspropStep, adagradStep,
  // The probe reads no memory; bound like the others for one contract.
  peakProbe: (_h: Heap, kind: number, n: number) => peakProbe(kind, n),
  peakProbeLanes: () => 1,
  peakProbeFused: () => false,
};

export function createTwinKernels(heap: Heap): Kernels {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(twin)) {
    bound[name] = (...args: unknown[]) => (fn as (h: Heap, ...a: unknown[]) => unknown)(heap, ...args);
  }
  return bound as unknown as Kernels;
}

// The engine's exports: kernels over raw pointers into host-owned memory, and
// the workspace each needs. Nothing here allocates or keeps mutable state, so
// any number of instances (one per worker) can run over one shared memory.
// The contract, with shapes and argument order: web/lib/backends/kernels.ts.

export {
  fill, axpy, add, mul, scale, clamp, copyRows, countNonFinite, sumSquares, tanh, tanhBackward,
} from "./kernels/elementwise";
export { linearForward, linearBackward, linearWork } from "./kernels/linear";
export { softmaxCrossEntropy } from "./kernels/softmax";
export { bceWithLogits, squaredError } from "./kernels/loss";
export { dropoutMask } from "./kernels/random";
export { rnnForward, rnnBackward, rnnWork } from "./cells/rnn";
export { lstmForward, lstmBackward, lstmWork } from "./cells/lstm";
export { gruForward, gruBackward, gruWork } from "./cells/gru";
export { embeddingForward, embeddingBackward } from "./layers/embedding";
export { poolMeanForward, poolMeanBackward, poolMaxForward, poolMaxBackward } from "./layers/pooling";
export { mergeForward, mergeBackward } from "./layers/merge";
export { attentionForward, attentionBackward, attentionWork } from "./layers/attention";
export { peakProbe, peakProbeLanes, peakProbeFused } from "./kernels/probe";
export { sgdStep } from "./optim/sgd";
export { adamStep } from "./optim/adam";
export { rmspropStep } from "./optim/rmsprop";
export { adagradStep } from "./optim/adagrad";

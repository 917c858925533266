// The engine's exports: kernels over raw pointers into host-owned memory.
// Nothing here allocates or keeps mutable state, so any number of instances
// (one per worker) can run over one shared memory.

export { packB, gemmPacked, gemmNN, gemmNT, gemmTN } from "./kernels/gemm";
export {
  fill, axpy, add, mul, addMul, scale, clamp, copyRows, fillRows, colSums, countNonFinite, sumSquares, sigmoid, tanh,
  tanhBackward, relu,
} from "./kernels/elementwise";
export { linearForward, linearBackward } from "./kernels/linear";
export { softmaxRows, softmaxCrossEntropy } from "./kernels/softmax";
export { bceWithLogits, squaredError } from "./kernels/loss";
export { dropoutMask } from "./kernels/random";
export { rnnForward, rnnBackward } from "./cells/rnn";
export { lstmForward, lstmBackward } from "./cells/lstm";
export { gruForward, gruBackward } from "./cells/gru";
export { embeddingForward, embeddingBackward } from "./layers/embedding";
export { poolMeanForward, poolMeanBackward, poolMaxForward, poolMaxBackward } from "./layers/pooling";
export { mergeForward, mergeBackward } from "./layers/merge";
export { attentionForward, attentionBackward } from "./layers/attention";
export { peakProbe, peakProbeLanes, peakProbeFused } from "./kernels/probe";
export { sgdStep } from "./optim/sgd";
export { adamStep } from "./optim/adam";
export { rmspropStep } from "./optim/rmsprop";
export { adagradStep } from "./optim/adagrad";

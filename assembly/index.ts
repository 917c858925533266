// The engine's exports: kernels over raw pointers into host-owned memory.
// Nothing here allocates or keeps mutable state, so any number of instances
// (one per worker) can run over one shared memory.

export { packB, gemmPacked, gemmNN, gemmNT, gemmTN } from "./kernels/gemm";
export {
  fill, axpy, add, scale, clamp, fillRows, colSums, countNonFinite, sumSquares, sigmoid, tanh, relu,
} from "./kernels/elementwise";
export { softmaxRows, softmaxCrossEntropy } from "./kernels/softmax";
export { rnnForward, rnnBackward } from "./cells/rnn";
export { lstmForward, lstmBackward } from "./cells/lstm";
export { gruForward, gruBackward } from "./cells/gru";
export { sgdStep } from "./optim/sgd";
export { adamStep } from "./optim/adam";
export { rmspropStep } from "./optim/rmsprop";
export { adagradStep } from "./optim/adagrad";

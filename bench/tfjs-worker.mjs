// One TF.js system (backend × workload) in a worker thread, so the benchmark
// can stop a call that runs too long or takes too much memory. Answers each
// "train" / "infer" message with the seconds the call took, measured here.
import { parentPort, workerData } from "node:worker_threads";
import { workloadData } from "../dist/lib/bench/workloads.js";

const { backend, workload: w } = workerData;
const tf = await import("@tensorflow/tfjs");
await import("@tensorflow/tfjs-backend-wasm");
await tf.setBackend(backend);
await tf.ready();

const layer = { lstm: tf.layers.lstm, gru: tf.layers.gru, rnn: tf.layers.simpleRNN }[w.cell];
const model = tf.sequential({
  layers: [
    ...(w.vocab ? [tf.layers.embedding({ inputDim: w.vocab, outputDim: w.I, inputLength: w.T })] : []),
    layer({ units: w.H, ...(w.vocab ? {} : { inputShape: [w.T, w.I] }), kernelInitializer: "glorotUniform", recurrentInitializer: "glorotUniform" }),
    tf.layers.dense({ units: w.classes }),
  ],
});
model.compile({ optimizer: tf.train.adam(1e-3), loss: tf.losses.softmaxCrossEntropy });
// The same numbers as Gated's batch, batch-first as TF.js wants.
const data = workloadData(w);
const x = w.vocab
  ? tf.tensor2d(Array.from({ length: w.B * w.T }, (_, i) => data.ids[(i % w.T) * w.B + Math.floor(i / w.T)]), [w.B, w.T], "int32")
  : tf.tensor3d(Array.from({ length: w.B * w.T * w.I }, (_, i) => {
      const b = Math.floor(i / (w.T * w.I)), t = Math.floor(i / w.I) % w.T, j = i % w.I;
      return data.features[(t * w.B + b) * w.I + j];
    }), [w.B, w.T, w.I]);
const y = tf.oneHot(tf.tensor1d(data.labels, "int32"), w.classes);

parentPort.on("message", async (what) => {
  const t0 = performance.now();
  try {
    if (what === "train") await model.trainOnBatch(x, y);
    else tf.tidy(() => model.predict(x).dataSync());
    parentPort.postMessage({ seconds: (performance.now() - t0) / 1000 });
  } catch (e) {
    parentPort.postMessage({ error: String(e.message ?? e).split("\n")[0] });
  }
});
parentPort.postMessage({ ready: true });

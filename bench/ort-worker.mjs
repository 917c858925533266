// ONNX Runtime Web (wasm, 1 or more threads) running a workload's network
// for inference, from the ONNX file bench/fixtures/generate_onnx.py wrote,
// in a worker thread of its own. Answers each "infer" message with the
// seconds the call took, measured here; it cannot train.
import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import * as ort from "onnxruntime-web";
import { workloadData } from "../dist/lib/bench/workloads.js";

const { workload: w, threads, file } = workerData;
ort.env.wasm.numThreads = threads;
// Its thread pool must not spin while idle: spinning threads take the CPU from the systems timed
// between its calls (measured: Gated's training at 600 instead of 817 seq/s beside an idle pool).
const noSpinning = { session: { intra_op: { allow_spinning: "0" }, inter_op: { allow_spinning: "0" } } };
const session = await ort.InferenceSession.create(readFileSync(file), { executionProviders: ["wasm"], extra: noSpinning });
// The same numbers as Gated's batch, time-major as the exported network reads them.
const x = new ort.Tensor("float32", workloadData(w).features, [w.T, w.B, w.I]);

parentPort.on("message", async (what) => {
  const t0 = performance.now();
  try {
    if (what !== "infer") throw new Error("ONNX Runtime Web runs inference only");
    await session.run({ x });
    parentPort.postMessage({ seconds: (performance.now() - t0) / 1000 });
  } catch (e) {
    parentPort.postMessage({ error: String(e.message ?? e).split("\n")[0] });
  }
});
parentPort.postMessage({ ready: true });

// Quick timing of one LSTM layer, forward + backward (BPTT), on each backend:
// B=32, T=64, I=64, H=128 by default. Run after `npm run build`:
//   node bench/lstm-layer.mjs [--backend wasm-simd] [--seconds 3]
// Prints sequences per second and GFLOP/s (2·T·4H·(I+H) per sequence forward,
// three times that for forward + backward).
import { parseArgs } from "node:util";
import { createEngine } from "gated";

const { values } = parseArgs({
  options: {
    backend: { type: "string", multiple: true },
    seconds: { type: "string", default: "3" },
    B: { type: "string", default: "32" },
    T: { type: "string", default: "64" },
    I: { type: "string", default: "64" },
    H: { type: "string", default: "128" },
  },
});
const [B, T, I, H] = [values.B, values.T, values.I, values.H].map(Number);
const backends = values.backend ?? ["wasm-simd", "wasm", "js"];
const seconds = Number(values.seconds);
const flopsPerSeq = 2 * T * 4 * H * (I + H);

function time(fn, budget) {
  // Warm up for a second: V8 runs a function's first calls in baseline code until its optimized code is ready.
  for (const end = performance.now() + 1000; performance.now() < end; ) fn();
  const samples = [];
  const start = performance.now();
  while (performance.now() - start < budget * 1000 || samples.length < 3) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1] / 1000;
}

console.log(`LSTM layer B=${B} T=${T} I=${I} H=${H}, one thread, median of repeated batches`);
console.log("backend    build    forward seq/s   fwd+bwd seq/s   fwd+bwd GFLOP/s");
for (const backend of backends) {
  const engine = await createEngine({ backend, seed: 1 });
  const lstm = engine.lstm({ inputSize: I, hiddenSize: H });
  const x = { shape: [T, B, I], data: Float32Array.from({ length: T * B * I }, (_, i) => Math.sin(i)) };
  const gradOutput = { shape: [T, B, H], data: new Float32Array(T * B * H).fill(0.01) };
  const fwd = time(() => lstm.forward(x), seconds / 2);
  const train = time(() => {
    lstm.forward(x);
    lstm.backward({ gradOutput });
  }, seconds);
  console.log(
    `${backend.padEnd(10)} ${engine.variant.padEnd(8)} ${(B / fwd).toFixed(0).padStart(13)} ${(B / train).toFixed(0).padStart(15)} ${((3 * flopsPerSeq * B) / train / 1e9).toFixed(2).padStart(17)}`,
  );
}

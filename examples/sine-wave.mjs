// Gated's main job until the CLI and playground arrive: two stacked LSTM
// layers learn to continue a sine wave (data generated here, nothing
// downloaded), trained with BPTT, Adam and gradient clipping.
//   npm start            (builds, then runs this)
//   node examples/sine-wave.mjs --backend js --epochs 40
import { parseArgs } from "node:util";
import { createEngine } from "gated";

const { values } = parseArgs({
  options: {
    backend: { type: "string", default: "wasm-simd" },
    epochs: { type: "string", default: "60" },
    seed: { type: "string", default: "1" },
  },
});
const T = 40, B = 16, H = 24;
const engine = await createEngine({ backend: values.backend, seed: Number(values.seed) });
console.log(`engine: ${engine.backend} (${engine.variant} build, ${engine.shared ? "shared" : "private"} memory)`);

// x → LSTM(1 → H) → LSTM(H → 1) → y; the second layer's single unit is the prediction.
const encoder = engine.lstm({ inputSize: 1, hiddenSize: H });
const head = engine.lstm({ inputSize: H, hiddenSize: 1 });
const params = [...encoder.parameters(), ...head.parameters()];
const adam = engine.optimizer("adam", params, { lr: 0.01 });

/** A batch of sine waves with random phase and frequency; targets are the next values, scaled into tanh's range. */
function batch(rng) {
  const x = new Float32Array(T * B), y = new Float32Array(T * B);
  for (let b = 0; b < B; b++) {
    const phase = rng() * 2 * Math.PI, freq = 0.15 + 0.1 * rng();
    for (let t = 0; t < T; t++) {
      x[t * B + b] = 0.8 * Math.sin(phase + freq * t);
      y[t * B + b] = 0.8 * Math.sin(phase + freq * (t + 1));
    }
  }
  return { x: { shape: [T, B, 1], data: x }, y };
}

let state = Number(values.seed);
const rng = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const validation = batch(rng);

function step({ x, y }, train) {
  const hidden = encoder.forward(x);
  const out = head.forward(hidden.output);
  let loss = 0;
  const grad = new Float32Array(T * B);
  for (let i = 0; i < T * B; i++) {
    const d = out.output.data[i] - y[i];
    loss += d * d;
    grad[i] = (2 * d) / (T * B);
  }
  if (train) {
    const g = head.backward({ gradOutput: { shape: [T, B, 1], data: grad } });
    encoder.backward({ gradOutput: g.gradX });
    engine.clipGradNorm(params, 1);
    adam.step();
  }
  return loss / (T * B);
}

const epochs = Number(values.epochs);
const start = performance.now();
for (let epoch = 1; epoch <= epochs; epoch++) {
  let loss = 0;
  for (let i = 0; i < 10; i++) loss += step(batch(rng), true);
  if (epoch === 1 || epoch % 10 === 0 || epoch === epochs) {
    console.log(`epoch ${String(epoch).padStart(3)}  train MSE ${(loss / 10).toFixed(5)}  validation MSE ${step(validation, false).toFixed(5)}`);
  }
}
const seconds = (performance.now() - start) / 1000;
console.log(`${epochs * 10 * B} sequences in ${seconds.toFixed(1)} s (${((epochs * 10 * B) / seconds).toFixed(0)} sequences/s)`);
const mse = step(validation, false);
console.log(mse < 0.01 ? `learned: validation MSE ${mse.toFixed(5)} (a constant guess scores about 0.32)` : `did not converge: validation MSE ${mse.toFixed(5)}`);
process.exitCode = mse < 0.01 ? 0 : 1;

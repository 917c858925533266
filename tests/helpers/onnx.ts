// Running an exported graph in ONNX Runtime (onnxruntime-web's WebAssembly
// build, in Node, one thread), with int64 inputs made from plain numbers.
import * as ort from "onnxruntime-web";

ort.env.wasm.numThreads = 1;

export type Feed = Record<string, { type: "int64" | "float32"; dims: number[]; data: ArrayLike<number> }>;

export async function runOnnx(bytes: Uint8Array, feed: Feed): Promise<Record<string, { dims: readonly number[]; data: Float32Array }>> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"] });
  try {
    const inputs = Object.fromEntries(Object.entries(feed).map(([name, v]) => [
      name,
      v.type === "int64" ? new ort.Tensor("int64", BigInt64Array.from(Array.from(v.data, (x) => BigInt(x))), v.dims) : new ort.Tensor("float32", Float32Array.from(v.data), v.dims),
    ]));
    const out = await session.run(inputs);
    return Object.fromEntries(Object.entries(out).map(([name, t]) => [name, { dims: t.dims, data: t.data as Float32Array }]));
  } finally {
    await session.release();
  }
}

/** Sequences padded to one length with `pad` (any value: the graphs never read past a length), batch-first. */
export function padded(sequences: readonly (readonly number[])[], pad: number): { tokens: number[]; lengths: number[]; T: number } {
  const T = Math.max(...sequences.map((s) => s.length));
  return { tokens: sequences.flatMap((s) => [...s, ...new Array<number>(T - s.length).fill(pad)]), lengths: sequences.map((s) => s.length), T };
}

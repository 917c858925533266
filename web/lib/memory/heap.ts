// Typed views over the engine's memory that stay valid across memory.grow.
// In float32 mode the float view is the memory itself. In float64 mode (the
// JS twin only, for gradient checks) floats live in a Float64Array shadow
// indexed the same way (byte pointer >> 2); integers stay in the memory.

export type FloatArray = Float32Array | Float64Array;
export type Precision = "float32" | "float64";

export class Heap {
  private buffer: ArrayBuffer | SharedArrayBuffer | null = null;
  private floats!: FloatArray;
  private ints!: Int32Array;

  constructor(readonly memory: WebAssembly.Memory, readonly precision: Precision = "float32") {
    this.refresh();
  }

  /** Float view; pointer p addresses element p >> 2. */
  get f(): FloatArray {
    if (this.buffer !== this.memory.buffer) this.refresh();
    return this.floats;
  }

  /** Int32 view; pointer p addresses element p >> 2. */
  get i32(): Int32Array {
    if (this.buffer !== this.memory.buffer) this.refresh();
    return this.ints;
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  private refresh(): void {
    const buffer = this.memory.buffer;
    this.buffer = buffer;
    this.ints = new Int32Array(buffer);
    if (this.precision === "float32") {
      this.floats = new Float32Array(buffer);
    } else {
      const shadow = new Float64Array(buffer.byteLength >> 2);
      if (this.floats) shadow.set(this.floats);
      this.floats = shadow;
    }
  }
}

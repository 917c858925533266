// An ONNX graph being built: named inputs, initializers (the weights), nodes
// and outputs, written out as a ModelProto (IR version 8, opset 17, so that
// onnx 1.12's checker and every current runtime read it). Field numbers are
// those of onnx.proto; only what Gated's graphs use is written.

import { ProtoWriter } from "../protobuf.ts";

export const OPSET = 17;
const IR_VERSION = 8;

/** ONNX element types used here. */
export const FLOAT = 1;
export const INT32 = 6;
export const INT64 = 7;
export type ElementType = typeof FLOAT | typeof INT32 | typeof INT64;

/** A dimension: a fixed size or a named one ("batch", "time"). */
export type Dim = number | string;

export type Attribute = number | string | number[] | string[];

interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, Attribute>;
}

interface Initializer {
  name: string;
  type: ElementType;
  dims: number[];
  data: ArrayLike<number>;
}

export interface ValueInfo {
  name: string;
  type: ElementType;
  dims: Dim[];
  /** What the value is, for the people who call the graph (written as the value's doc string). */
  about: string;
}

export class Graph {
  private readonly nodes: Node[] = [];
  private readonly initializers: Initializer[] = [];
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];
  private count = 0;
  private readonly constants = new Map<string, string>();

  constructor(readonly name: string) {}

  input(info: ValueInfo): string {
    this.inputs.push(info);
    return info.name;
  }

  /** Names a value as a graph output. */
  output(value: string, info: ValueInfo): void {
    this.node("Identity", [value], {}, [info.name]);
    this.outputs.push(info);
  }

  /** A weight or constant tensor; float data is stored as float32. */
  initializer(name: string, dims: number[], data: ArrayLike<number>, type: ElementType = FLOAT): string {
    const unique = `${name}${this.initializers.some((i) => i.name === name) ? `_${this.count++}` : ""}`;
    this.initializers.push({ name: unique, type, dims, data });
    return unique;
  }

  /** An int64 constant (shapes, axes, indices), made once per value. */
  ints(values: number[], dims: number[] = [values.length]): string {
    const key = `i${dims.join("x")}:${values.join(",")}`;
    let name = this.constants.get(key);
    if (!name) this.constants.set(key, (name = this.initializer(`const_${this.constants.size}`, dims, values, INT64)));
    return name;
  }

  /** A float32 scalar constant. */
  scalar(value: number): string {
    const key = `f:${value}`;
    let name = this.constants.get(key);
    if (!name) this.constants.set(key, (name = this.initializer(`const_${this.constants.size}`, [], [value])));
    return name;
  }

  /** Adds a node; returns its outputs' names (fresh ones unless given). */
  node(op: string, inputs: string[], attributes: Record<string, Attribute> = {}, outputs: string[] | number = 1): string[] {
    const names = typeof outputs === "number" ? Array.from({ length: outputs }, () => `${op.toLowerCase()}_${this.count++}`) : outputs;
    this.nodes.push({ op, inputs, outputs: names, attributes });
    return names;
  }

  /** A node with one output. */
  op(op: string, inputs: string[], attributes: Record<string, Attribute> = {}): string {
    return this.node(op, inputs, attributes)[0];
  }

  /** The ModelProto bytes of this graph. */
  encode(producerVersion: string, metadata: Record<string, string> = {}): Uint8Array {
    const w = new ProtoWriter();
    w.int(1, IR_VERSION);
    w.string(2, "gated");
    w.string(3, producerVersion);
    w.message(7, (g) => this.writeGraph(g));
    w.message(8, (o) => o.string(1, "").int(2, OPSET));
    for (const [key, value] of Object.entries(metadata)) w.message(14, (e) => e.string(1, key).string(2, value));
    return w.finish();
  }

  private writeGraph(g: ProtoWriter): void {
    for (const n of this.nodes) {
      g.message(1, (m) => {
        for (const i of n.inputs) m.string(1, i);
        for (const o of n.outputs) m.string(2, o);
        m.string(4, n.op);
        for (const [name, value] of Object.entries(n.attributes)) m.message(5, (a) => writeAttribute(a, name, value));
      });
    }
    g.string(2, this.name);
    for (const t of this.initializers) g.message(5, (m) => writeTensor(m, t));
    for (const v of this.inputs) g.message(11, (m) => writeValueInfo(m, v));
    for (const v of this.outputs) g.message(12, (m) => writeValueInfo(m, v));
  }
}

function writeAttribute(a: ProtoWriter, name: string, value: Attribute): void {
  a.string(1, name);
  // Types: 2 INT, 3 STRING, 7 INTS, 8 STRINGS.
  if (typeof value === "number") a.int(3, value).int(20, 2);
  else if (typeof value === "string") a.string(4, value).int(20, 3);
  else if (value.every((v) => typeof v === "string")) {
    for (const s of value as string[]) a.string(9, s);
    a.int(20, 8);
  } else a.packedInts(8, value as number[]).int(20, 7);
}

function writeTensor(m: ProtoWriter, t: Initializer): void {
  m.packedInts(1, t.dims);
  m.int(2, t.type);
  m.string(8, t.name);
  // raw_data: little-endian values, the form runtimes read fastest.
  const raw = t.type === FLOAT ? new Float32Array(t.data) : t.type === INT32 ? new Int32Array(t.data) : BigInt64Array.from(Array.from(t.data, (v) => BigInt(v)));
  m.bytes(9, new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
}

function writeValueInfo(m: ProtoWriter, v: ValueInfo): void {
  m.string(1, v.name);
  m.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.type);
      tensor.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => (typeof d === "number" ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
  m.string(3, v.about);
}

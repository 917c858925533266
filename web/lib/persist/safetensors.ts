// The safetensors format (Hugging Face): an unsigned 64-bit little-endian
// header length, a JSON header {name: {dtype, shape, data_offsets}, and
// "__metadata__": {string: string}}, then the tensors' bytes back to back.
// Files come from users, so reading goes in two steps: the header alone is
// checked first (entry count, shapes, offsets, overlaps, gaps, sizes against
// the file's length), and only then is any tensor decoded — a crafted header
// cannot make the reader allocate more than the file holds.

import { GatedError } from "../errors.ts";
import { numel, type Tensor } from "../tensor.ts";

export interface SafeTensors {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** A tensor as the header describes it; offsets are relative to the data section. */
export interface TensorEntry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  entries: TensorEntry[];
  metadata: Record<string, string>;
  /** Where the data section starts in the file. */
  base: number;
}

/** Largest header read: room for big vocabularies in the metadata, and no more. */
export const MAX_HEADER_BYTES = 16 << 20;
/** Most tensors one file may name (a Gated model has a few hundred at most). */
export const MAX_TENSORS = 4096;

export function encodeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const name of names) {
    const bytes = numel(tensors[name].shape) * 4;
    header[name] = { dtype: "F32", shape: tensors[name].shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const text = JSON.stringify(header);
  let json = new TextEncoder().encode(text);
  // Pad the header with spaces so the data starts 8-byte aligned.
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) json = new TextEncoder().encode(text + " ".repeat(padded - json.length));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const name of names) {
    const data = tensors[name].data;
    // Little-endian on disk whatever the platform.
    for (let i = 0; i < data.length; i++) view.setFloat32(at + 4 * i, data[i], true);
    at += data.length * 4;
  }
  return out;
}

/** Bytes as Uint8Array from what callers hand over (fetch gives ArrayBuffers); anything else is refused. */
export function asBytes(input: unknown, source: string): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && input instanceof SharedArrayBuffer)) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const what = input === null ? "null" : Array.isArray(input) ? "an array" : typeof input;
  throw new GatedError(`${source}: expected the file's bytes (a Uint8Array or an ArrayBuffer), got ${what}`);
}

/** Reads and checks the header without decoding any tensor. */
export function readSafetensorsHeader(bytes: Uint8Array, source = "file"): SafetensorsHeader {
  const fail = (why: string): never => {
    throw new GatedError(`${source} is not a valid model file: ${why}`);
  };
  if (bytes.length < 8) fail(`it has ${bytes.length} bytes, fewer than the 8 of a safetensors header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.length) {
    fail(`its header claims ${headerLength} bytes but the file has ${bytes.length - 8} after the length (truncated or not safetensors)`);
  }
  if (headerLength > MAX_HEADER_BYTES) fail(`its header has ${headerLength} bytes, more than the ${MAX_HEADER_BYTES} read`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    return fail("its header is not valid JSON");
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) return fail("its header is not a JSON object");
  const base = 8 + headerLength;
  const dataLength = bytes.length - base;
  const metadata: Record<string, string> = {};
  const entries: TensorEntry[] = [];
  const names = Object.keys(header);
  if (names.length > MAX_TENSORS + 1) fail(`its header names ${names.length} entries, more than the ${MAX_TENSORS} tensors read`);
  for (const name of names) {
    const entry = (header as Record<string, unknown>)[name];
    if (name === "__metadata__") {
      if (!entry || typeof entry !== "object" || Array.isArray(entry)) fail("__metadata__ is not an object");
      for (const [k, v] of Object.entries(entry as object)) {
        if (typeof v !== "string") fail(`metadata ${k} is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const e = (entry ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e.dtype !== "F32") fail(`tensor ${name} has dtype ${String(e.dtype)}; only F32 is read`);
    const shape = e.shape;
    if (!Array.isArray(shape) || shape.length > 8 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`tensor ${name} has an invalid shape`);
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) fail(`tensor ${name} has invalid data_offsets`);
    const [begin, end] = offsets as [number, number];
    const dims = shape as number[];
    const needed = numel(dims) * 4;
    if (end < begin || end - begin !== needed) fail(`tensor ${name} spans ${end - begin} bytes but its shape [${dims.join(", ")}] needs ${needed}`);
    if (end > dataLength) fail(`tensor ${name} ends at byte ${end} but the data has ${dataLength} bytes (truncated file)`);
    entries.push({ name, shape: dims, begin, end });
  }
  // The data section must be exactly the tensors, back to back: no overlap, no gap, nothing after.
  const spans = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const { begin, end, name } of spans) {
    if (begin !== at) fail(begin < at ? `tensor ${name} overlaps another` : `there is a gap in the data before tensor ${name}`);
    at = end;
  }
  if (at !== dataLength) fail(`${dataLength - at} bytes after the last tensor are not part of any tensor`);
  return { entries, metadata, base };
}

/** Decodes the tensors a checked header describes. */
export function readTensors(bytes: Uint8Array, header: SafetensorsHeader): Record<string, Tensor> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors: Record<string, Tensor> = {};
  for (const { name, shape, begin, end } of header.entries) {
    const data = new Float32Array((end - begin) / 4);
    const at = header.base + begin;
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(at + 4 * i, true);
    tensors[name] = { shape, data };
  }
  return tensors;
}

export function decodeSafetensors(input: Uint8Array | ArrayBuffer, source = "file"): SafeTensors {
  const bytes = asBytes(input, source);
  const header = readSafetensorsHeader(bytes, source);
  return { tensors: readTensors(bytes, header), metadata: header.metadata };
}

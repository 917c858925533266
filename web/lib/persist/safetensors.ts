// The safetensors format (Hugging Face): an unsigned 64-bit little-endian
// header length, a JSON header {name: {dtype, shape, data_offsets}, and
// "__metadata__": {string: string}}, then the tensors' bytes back to back.
// Reading validates everything a corrupt or truncated file could get wrong.

import { GatedError } from "../errors.ts";
import { numel, type Tensor } from "../tensor.ts";

export interface SafeTensors {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

const MAX_HEADER = 64 << 20;

export function encodeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const bytes = numel(t.shape) * 4;
    header[name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  // Pad the header with spaces so the data starts 8-byte aligned.
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) json = new TextEncoder().encode(JSON.stringify(header) + " ".repeat(padded - json.length));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  const base = 8 + json.length;
  let at = base;
  for (const name of names) {
    const data = Float32Array.from(tensors[name].data);
    const bytes = new Uint8Array(data.buffer);
    // Little-endian on disk whatever the platform.
    for (let i = 0; i < data.length; i++) view.setFloat32(at + 4 * i, data[i], true);
    at += bytes.length;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array, source = "file"): SafeTensors {
  const fail = (why: string): never => {
    throw new GatedError(`${source} is not a valid model file: ${why}`);
  };
  if (bytes.length < 8) fail(`it has ${bytes.length} bytes, fewer than the 8 of a safetensors header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
    fail(`its header claims ${headerLength} bytes but the file has ${bytes.length - 8} after the length (truncated or not safetensors)`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    return fail("its header is not valid JSON");
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) fail("its header is not a JSON object");
  const base = 8 + headerLength;
  const dataLength = bytes.length - base;
  const metadata: Record<string, string> = {};
  const tensors: Record<string, Tensor> = {};
  const spans: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      if (!entry || typeof entry !== "object") fail("__metadata__ is not an object");
      for (const [k, v] of Object.entries(entry as object)) {
        if (typeof v !== "string") fail(`metadata ${k} is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e?.dtype !== "F32") fail(`tensor ${name} has dtype ${String(e?.dtype)}; only F32 is read`);
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`tensor ${name} has an invalid shape`);
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) fail(`tensor ${name} has invalid data_offsets`);
    const [begin, end] = offsets as [number, number];
    const dims = shape as number[];
    if (end < begin || end - begin !== numel(dims) * 4) fail(`tensor ${name} spans ${end - begin} bytes but its shape [${dims.join(", ")}] needs ${numel(dims) * 4}`);
    if (end > dataLength) fail(`tensor ${name} ends at byte ${end} but the data has ${dataLength} bytes (truncated file)`);
    spans.push([begin, end, name]);
    const data = new Float32Array(numel(dims));
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(base + begin + 4 * i, true);
    tensors[name] = { shape: dims, data };
  }
  spans.sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== at) fail(begin < at ? `tensor ${name} overlaps another` : `there is a gap in the data before tensor ${name}`);
    at = end;
  }
  if (at !== dataLength) fail(`${dataLength - at} bytes after the last tensor are not part of any tensor`);
  return { tensors, metadata };
}

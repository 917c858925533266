// Files on the command line. Reading: only regular files (a device, a pipe or
// /dev/stdin could stream forever), read with a size budget, data decoded in
// the encoding the user names (UTF-8 is checked, with the line of the first
// bad byte). Writing: model files and checkpoints go to a temporary file in
// the same folder, flushed to disk, then renamed over the target — so a write
// that fails part-way (a full disk, a file-size limit) leaves the old file
// whole — and never over an input or something that is not a regular file.

import { closeSync, constants, fstatSync, fsyncSync, mkdtempSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { GatedError } from "../lib/errors.ts";
import { decodeText, type Encoding } from "../lib/data/text-file.ts";

export type { Encoding };

/** Largest file read: V8's longest string is about 512 MiB, so a larger text could not be decoded anyway. */
export const MAX_READ_BYTES = 512 * 1048576;

const code = (e: unknown) => (e as NodeJS.ErrnoException).code;

const reason = (e: unknown) => {
  const c = code(e);
  return c === "ENOENT" ? "no such file" : c === "EACCES" || c === "EPERM" ? "permission denied" : c === "EISDIR" ? "it is a folder"
    : c === "EFBIG" || c === "ENOSPC" ? "no room for the file (disk full or size limit)" : c === "EROFS" ? "the file system is read-only" : c === "ENXIO" ? "it is not a file (a socket or a device with nothing behind it)" : (e as Error).message;
};

const mib = (n: number) => `${Math.round(n / 1048576)} MiB`;

/** What a path names when it is not a regular file, for messages. */
function nonRegular(s: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  return s.isDirectory() ? "a folder" : s.isFIFO() ? "a pipe" : s.isCharacterDevice() || s.isBlockDevice() ? "a device" : s.isSocket() ? "a socket" : "not a regular file";
}

/** A regular file's bytes, at most `max` of them; anything else is refused before it is read. */
export function readBytes(path: string, what = "", max = MAX_READ_BYTES): Uint8Array {
  let fd = -1;
  try {
    // Non-blocking, so that opening a pipe with no writer does not wait forever before it is refused.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const s = fstatSync(fd);
    if (!s.isFile()) throw new GatedError(`cannot read ${what}${path}: it is ${nonRegular(s)}, not a file`);
    if (s.size > max) throw new GatedError(`cannot read ${what}${path}: it has ${mib(s.size)}, more than the ${mib(max)} Gated reads`);
    // Read to the end within the budget: a file can grow, and some (in /proc) say they have size 0.
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.min(Math.max(s.size - total, 65536), max + 1 - total));
      const n = chunk.length ? readSync(fd, chunk, 0, chunk.length, null) : 0;
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > max) throw new GatedError(`cannot read ${what}${path}: it has more than the ${mib(max)} Gated reads`);
    }
    if (chunks.length === 1) return chunks[0];
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } catch (e) {
    if (e instanceof GatedError) throw e;
    throw new GatedError(`cannot read ${what}${path}: ${reason(e)}`);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** A data file's text; invalid UTF-8 is refused with its line, never turned into �. */
export function readText(path: string, encoding: Encoding = "utf-8"): string {
  return decodeText(readBytes(path), path, encoding, "say so with --encoding latin1");
}

/** The file a path names now (following links), or undefined where there is none. */
const statOf = (path: string) => statSync(path, { throwIfNoEntry: false });

/**
 * Refuses, before any work is done, a path that could not be written, that
 * is not a regular file, or that names one of the inputs (writing the model
 * over its own training data would lose the data).
 */
export function checkWritable(path: string, inputs: readonly (string | undefined)[] = []): void {
  const dir = dirname(resolve(path));
  try {
    const target = statOf(path);
    if (target && !target.isFile()) throw new GatedError(`cannot write ${path}: it is ${nonRegular(target)}; give the path of a file`);
    for (const input of inputs) {
      const source = input === undefined ? undefined : statOf(input);
      if (target && source && target.dev === source.dev && target.ino === source.ino) throw new GatedError(`cannot write ${path}: it is the input ${input}, which would be lost; choose another --out`);
    }
    const folder = statOf(dir);
    if (!folder) throw new GatedError(`cannot write ${path}: the folder ${dirname(path)} does not exist`);
    if (!folder.isDirectory()) throw new GatedError(`cannot write ${path}: ${dirname(path)} is not a folder`);
  } catch (e) {
    if (e instanceof GatedError) throw e;
    throw new GatedError(`cannot write ${path}: ${reason(e)}`);
  }
  // Permissions do not tell everything (root may write anywhere, /proc takes no new files): a file is made there and removed.
  const probe = join(dir, `.${basename(path)}.${process.pid}.probe`);
  try {
    closeSync(openSync(probe, "wx"));
    unlinkSync(probe);
  } catch (e) {
    const c = code(e);
    throw new GatedError(`cannot write ${path}: ${c === "ENOENT" || c === "EROFS" ? `the folder ${dirname(path)} does not take new files` : reason(e)}`);
  }
}

/** Writes the whole file or nothing; never over something that is not a regular file. */
export function writeAtomically(path: string, bytes: Uint8Array): void {
  const existing = statOf(path);
  if (existing && !existing.isFile()) throw new GatedError(`cannot write ${path}: it is ${nonRegular(existing)}; give the path of a file`);
  const temp = join(dirname(resolve(path)), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd = -1;
  try {
    fd = openSync(temp, "wx");
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(temp, path);
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already gone
    }
    throw new GatedError(`cannot write ${path}: ${reason(e)}`);
  }
}

/** A new folder of the system's temporary one (never an existing file's place), for work that could not be written where asked. */
export function rescueFolder(): string {
  return mkdtempSync(join(tmpdir(), "gated-rescue-"));
}

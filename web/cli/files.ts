// Files on the command line: data read in the encoding the user names
// (UTF-8 is checked, with the line of the first bad byte), and model files
// and checkpoints written atomically — to a temporary file in the same
// folder, flushed to disk, then renamed over the target — so a write that
// fails part-way (a full disk, a file-size limit) leaves the old file whole.

import { accessSync, closeSync, constants, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { GatedError } from "../lib/errors.ts";
import { decodeText, type Encoding } from "../lib/data/text-file.ts";

export type { Encoding };

const reason = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === "ENOENT" ? "no such file" : code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EISDIR" ? "it is a folder" : (e as Error).message;
};

export function readBytes(path: string, what = ""): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new GatedError(`cannot read ${what}${path}: ${reason(e)}`);
  }
}

/** A data file's text; invalid UTF-8 is refused with its line, never turned into �. */
export function readText(path: string, encoding: Encoding = "utf-8"): string {
  return decodeText(readBytes(path), path, encoding, "say so with --encoding latin1");
}

/** Refuses, before any work is done, a path that could not be written. */
export function checkWritable(path: string): void {
  const dir = dirname(resolve(path));
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new GatedError(`cannot write ${path}: it is a folder`);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    if (e instanceof GatedError) throw e;
    throw new GatedError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? `the folder ${dirname(path)} does not exist` : reason(e)}`);
  }
}

/** Writes the whole file or nothing. */
export function writeAtomically(path: string, bytes: Uint8Array): void {
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
    throw new GatedError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code === "EFBIG" || (e as NodeJS.ErrnoException).code === "ENOSPC" ? "no room for the file (disk full or size limit)" : reason(e)}`);
  }
}

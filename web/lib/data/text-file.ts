// The text of a data file from its bytes: UTF-8 checked (a byte sequence that
// is not UTF-8 is refused with its line, never turned into �), or Latin-1
// when the user says so. Shared by the command line and the playground.

import { GatedError } from "../errors.ts";

export type Encoding = "utf-8" | "latin1";

/** `latin1Hint` tells the user how to ask for Latin-1 where they are (a flag, a menu). */
export function decodeText(bytes: Uint8Array, name: string, encoding: Encoding = "utf-8", latin1Hint = "choose Latin-1"): string {
  if (encoding === "latin1") return new TextDecoder("latin1").decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && bytes[i] !== 0x0a) continue;
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(start, i));
      } catch {
        break;
      }
      line++;
      start = i + 1;
    }
    throw new GatedError(`${name}, line ${line}: not valid UTF-8 text (if the file is Latin-1, ${latin1Hint})`);
  }
}

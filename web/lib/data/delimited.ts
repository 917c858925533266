// A CSV/TSV reader (RFC 4180 quoting: fields in double quotes may hold the
// delimiter, newlines and doubled quotes) that remembers each record's line
// and refuses malformed input with the line number and the reason.

import { GatedError } from "../errors.ts";

export interface Row {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

export function parseDelimited(text: string, delimiter: "," | "\t", source = "file"): Row[] {
  checkText(text, source);
  const rows: Row[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte-order mark
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new GatedError(`${source}, line ${start}: a quoted field is never closed`);
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === "\n") line++;
          field += c;
          i++;
        }
        if (i < n && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") {
          throw new GatedError(`${source}, line ${line}: unexpected text after a closing quote`);
        }
      } else {
        while (i < n && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") field += text[i++];
      }
      fields.push(field);
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === "\r") i++;
    if (text[i] === "\n") i++;
    line++;
    if (!(fields.length === 1 && fields[0].trim() === "")) rows.push({ line: start, fields });
  }
  return rows;
}

/** Refuses a file's contents that are not text (a caller handing bytes or nothing). */
export function checkText(text: unknown, source: string): asserts text is string {
  if (typeof text !== "string") throw new GatedError(`${source}: the contents must be text (a string), got ${text === null ? "null" : typeof text}`);
}

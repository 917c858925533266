// The file formats users bring, parsed into examples. Every refusal names the
// line and the reason, and nothing is returned from a file with any bad line.
//   labelled text:  CSV or TSV "text,label" (a header row "text,label" is skipped)
//   parallel text:  TSV "source<TAB>target[<TAB>attribution]" (Tatoeba/Anki exports)
//   lines:          one item per line (names, sentences)
//   numeric series: CSV with a header; one column of numbers is taken

import { GatedError } from "../errors.ts";
import { checkText, parseDelimited, type Row } from "./delimited.ts";

export interface LabelledText {
  text: string;
  label: string;
}

export interface TextPair {
  source: string;
  target: string;
}

const isHeader = (row: Row, names: string[]) =>
  row.fields.length === names.length && row.fields.every((f, i) => f.trim().toLowerCase() === names[i]);

function fail(source: string, line: number, reason: string): never {
  throw new GatedError(`${source}, line ${line}: ${reason}`);
}

function nonEmpty(rows: Row[], source: string, what: string): Row[] {
  if (rows.length === 0) throw new GatedError(`${source}: no ${what} found; the file is empty`);
  return rows;
}

export function parseLabelledText(text: string, { delimiter = "," as "," | "\t", source = "file" } = {}): LabelledText[] {
  const rows = parseDelimited(text, delimiter, source);
  const header = rows.length > 0 && isHeader(rows[0], ["text", "label"]);
  const body = header ? rows.slice(1) : rows;
  if (header && body.length === 0) throw new GatedError(`${source}: the file has a header row but no examples`);
  const examples = nonEmpty(body, source, "examples").map((r) => {
    if (r.fields.length !== 2) fail(source, r.line, `expected 2 fields (text, label) but found ${r.fields.length}`);
    const [t, label] = r.fields.map((f) => f.trim());
    if (!t) fail(source, r.line, "the text is empty");
    if (!label) fail(source, r.line, "the label is empty");
    return { text: t, label };
  });
  const labels = new Set(examples.map((e) => e.label));
  if (labels.size < 2) throw new GatedError(`${source}: every example has the label "${examples[0].label}"; a classifier needs at least two labels`);
  return examples;
}

export function parseParallelText(text: string, { source = "file" } = {}): TextPair[] {
  const rows = parseDelimited(text, "\t", source);
  return nonEmpty(rows, source, "sentence pairs").map((r) => {
    if (r.fields.length < 2 || r.fields.length > 3) {
      fail(source, r.line, `expected source<TAB>target[<TAB>attribution] but found ${r.fields.length} field${r.fields.length === 1 ? "" : "s"}`);
    }
    const [s, t] = r.fields.map((f) => f.trim());
    if (!s || !t) fail(source, r.line, `the ${s ? "target" : "source"} sentence is empty`);
    return { source: s, target: t };
  });
}

export function parseLines(text: string, { source = "file", maxLength = 1000 } = {}): string[] {
  checkText(text, source);
  const items: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const item = raw.trim();
    if (!item) return;
    if (item.length > maxLength) fail(source, i + 1, `the line has ${item.length} characters, more than the ${maxLength} allowed`);
    items.push(item);
  });
  if (items.length === 0) throw new GatedError(`${source}: no lines with text found`);
  return items;
}

/** One numeric column of a CSV with a header: by name, or the last column that holds numbers. */
/** The columns of a CSV whose first row of values holds numbers (what a series can be read from). */
/**
 * The columns that hold numbers: those where at least half the rows have one
 * (so a column with a few blank or text cells is still offered — and its bad
 * cells refused by line — rather than another column chosen in its place).
 */
export function numericColumns(text: string, source = "file"): string[] {
  return numericIndices(parseDelimited(text, ",", source)).names;
}

function numericIndices(rows: ReturnType<typeof parseDelimited>): { names: string[]; indices: number[] } {
  if (rows.length < 2) return { names: [], indices: [] };
  const header = rows[0].fields.map((f) => f.trim());
  const isNumber = (raw: string | undefined) => raw !== undefined && raw.trim() !== "" && Number.isFinite(Number(raw));
  const indices = header.map((_, j) => j).filter((j) => 2 * rows.slice(1).filter((r) => isNumber(r.fields[j])).length >= rows.length - 1);
  return { names: indices.map((j) => header[j]), indices };
}

export function parseNumericSeries(text: string, { column, source = "file" }: { column?: string; source?: string } = {}): {
  column: string;
  values: number[];
} {
  const rows = parseDelimited(text, ",", source);
  if (rows.length === 0) throw new GatedError(`${source}: no series found; the file is empty`);
  if (rows.length < 2) throw new GatedError(`${source}: the file has a header row but no values; a numeric series needs at least one row of values`);
  const header = rows[0].fields.map((f) => f.trim());
  let col: number;
  if (column !== undefined) {
    col = header.indexOf(column);
    if (col < 0) throw new GatedError(`${source}: no column named "${column}"; the columns are ${header.join(", ")}`);
  } else {
    col = numericIndices(rows).indices.at(-1) ?? -1;
    if (col < 0) throw new GatedError(`${source}: no column holds numbers in most of its rows`);
  }
  const values = rows.slice(1).map((r) => {
    if (r.fields.length !== header.length) fail(source, r.line, `expected ${header.length} fields like the header but found ${r.fields.length}`);
    const raw = r.fields[col].trim();
    const v = Number(raw);
    if (raw === "" || !Number.isFinite(v)) fail(source, r.line, `"${raw}" in column ${header[col]} is not a number`);
    return v;
  });
  return { column: header[col], values };
}

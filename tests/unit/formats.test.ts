// Users' files: CSV/TSV with quoting, parallel text, lines and numeric
// series parse correctly; malformed ones are refused with line and reason.

import { describe, expect, it } from "vitest";
import { parseDelimited } from "../../web/lib/data/delimited.ts";
import { parseLabelledText, parseLines, parseNumericSeries, parseParallelText } from "../../web/lib/data/formats.ts";
import { refuses } from "../helpers/refuses.ts";


describe("delimited text", () => {
  it("reads quoted fields with delimiters, doubled quotes and newlines, CRLF and a BOM, keeping line numbers", () => {
    const rows = parseDelimited('\ufefftext,label\r\n"Good, really ""good""",pos\n"two\nlines",neg\n\nplain,neg\n', ",");
    expect(rows).toEqual([
      { line: 1, fields: ["text", "label"] },
      { line: 2, fields: ['Good, really "good"', "pos"] },
      { line: 3, fields: ["two\nlines", "neg"] },
      { line: 6, fields: ["plain", "neg"] },
    ]);
  });

  it("refuses an unclosed quote and text after a closing quote", () => {
    refuses(() => parseDelimited('a,b\n"oops,c\n', ",", "data.csv"), /data.csv, line 2: a quoted field is never closed/);
    refuses(() => parseDelimited('"x"y,1\n', ",", "data.csv"), /data.csv, line 1: unexpected text after a closing quote/);
  });
});

describe("labelled text", () => {
  it("skips a text,label header, trims, and reads TSV", () => {
    expect(parseLabelledText("text,label\n nice film ,pos\nbad,neg\n")).toEqual([{ text: "nice film", label: "pos" }, { text: "bad", label: "neg" }]);
    expect(parseLabelledText("great\tpos\nawful\tneg\n", { delimiter: "\t" })).toHaveLength(2);
  });

  it("names the line and the reason of a malformed row, and refuses one-label data", () => {
    refuses(() => parseLabelledText("good,pos\nbad,neg,extra\n", { source: "reviews.csv" }), /reviews.csv, line 2: expected 2 fields \(text, label\) but found 3/);
    refuses(() => parseLabelledText("good,pos\n,neg\n", { source: "reviews.csv" }), /reviews.csv, line 2: the text is empty/);
    refuses(() => parseLabelledText("good,pos\nbad,\n", { source: "reviews.csv" }), /line 2: the label is empty/);
    refuses(() => parseLabelledText("a,pos\nb,pos\n", { source: "r.csv" }), /every example has the label "pos"; a classifier needs at least two labels/);
    refuses(() => parseLabelledText("text,label\n", { source: "r.csv" }), /r.csv: the file has a header row but no examples/);
  });
});

describe("parallel text, lines and series", () => {
  it("reads Tatoeba-style TSV with an optional attribution column", () => {
    expect(parseParallelText("Hi.\t¡Hola!\tCC-BY 2.0 (France) Attribution: tatoeba.org\nThanks.\tGracias.\n")).toEqual([
      { source: "Hi.", target: "¡Hola!" },
      { source: "Thanks.", target: "Gracias." },
    ]);
    refuses(() => parseParallelText("Hi.\t¡Hola!\nno tab here\n", { source: "en-es.tsv" }), /en-es.tsv, line 2: expected source<TAB>target\[<TAB>attribution\] but found 1 field/);
    refuses(() => parseParallelText("Hi.\t \n", { source: "en-es.tsv" }), /line 1: the target sentence is empty/);
  });

  it("reads one item per line and refuses overlong lines", () => {
    expect(parseLines("rex\n\n  trex  \r\nbrontosaurus\n")).toEqual(["rex", "trex", "brontosaurus"]);
    refuses(() => parseLines(`ok\n${"x".repeat(20)}\n`, { source: "names.txt", maxLength: 10 }), /names.txt, line 2: the line has 20 characters, more than the 10 allowed/);
    refuses(() => parseLines("\n\n", { source: "names.txt" }), /no lines with text/);
  });

  it("reads a numeric column by name or the last numeric one, naming bad values", () => {
    const csv = "Date,CO2,adjusted\n1958-03-01,315.70,314.44\n1958-04-01,317.46,315.16\n";
    expect(parseNumericSeries(csv, { column: "CO2" })).toEqual({ column: "CO2", values: [315.7, 317.46] });
    expect(parseNumericSeries(csv).column).toBe("adjusted");
    refuses(() => parseNumericSeries(csv, { column: "co2", source: "co2.csv" }), /no column named "co2"; the columns are Date, CO2, adjusted/);
    refuses(() => parseNumericSeries("t,v\n1,2\n2,x\n", { source: "s.csv" }), /s.csv, line 3: "x" in column v is not a number/);
    refuses(() => parseNumericSeries("t,v\n1,2\n2\n", { source: "s.csv" }), /s.csv, line 3: expected 2 fields like the header but found 1/);
  });
});

// What the command line prints. Labels, names, texts and messages can come
// from a model or data file someone else made; their control characters
// (escape sequences that retitle or clear a terminal, carriage returns that
// overwrite a line) are shown as visible escapes, never sent to the terminal.

// C0 controls but tab and newline, DEL, C1 controls, and the line and paragraph separators.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

export const printable = (text: string): string => text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

const line = (parts: unknown[]) => printable(parts.map((p) => (typeof p === "string" ? p : String(p))).join(" "));

/** A line on standard output. */
export const say = (...parts: unknown[]): void => console.log(line(parts));

/** A line on standard error. */
export const warn = (...parts: unknown[]): void => console.error(line(parts));

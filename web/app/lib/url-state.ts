// A page's settings in the URL's hash (#/page?key=value&…), as TensorFlow
// Playground keeps its own, so a configuration can be shared as a link. Only
// values that differ from the defaults are written; values read back are
// checked against the option specs, and a bad one is dropped, not obeyed.

import { type OptionSpec, type OptionValue, parseOption } from "../../lib/pipelines/options.ts";

export interface Location {
  page: string;
  params: Record<string, string>;
}

export function parseHash(hash: string): Location {
  const [path, query = ""] = hash.replace(/^#\/?/, "").split("?");
  return { page: path || "", params: Object.fromEntries(new URLSearchParams(query)) };
}

export function formatHash({ page, params }: Location): string {
  const query = new URLSearchParams(Object.entries(params).sort(([a], [b]) => a.localeCompare(b))).toString();
  return `#/${page}${query ? `?${query}` : ""}`;
}

/** The options that differ from their defaults, as URL parameters. */
export function optionsToParams(specs: readonly OptionSpec[], values: Record<string, OptionValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of specs) {
    const v = values[s.key];
    if (v !== undefined && v !== s.default) out[s.flag] = String(v);
  }
  return out;
}

/** Every option: the defaults, with what the URL's parameters validly set. */
export function optionsFromParams(specs: readonly OptionSpec[], params: Record<string, string>): Record<string, OptionValue> {
  return { ...Object.fromEntries(specs.map((s) => [s.key, s.default])), ...paramsToOptions(specs, params).values };
}

/** The form's values for a model's settings: the defaults, with each of its settings these specs know (an older model may lack some). */
export function optionsOfModel(specs: readonly OptionSpec[], settings: Record<string, unknown>): Record<string, OptionValue> {
  return Object.fromEntries(specs.map((s) => {
    const v = settings[s.key];
    const fits = (typeof v === "number" || typeof v === "string" || typeof v === "boolean") && typeof v === typeof s.default;
    return [s.key, fits ? v : s.default];
  }));
}

/** Options from URL parameters: each checked against its spec; unknown or invalid ones are left out and named. */
export function paramsToOptions(specs: readonly OptionSpec[], params: Record<string, string>): { values: Record<string, OptionValue>; ignored: string[] } {
  const values: Record<string, OptionValue> = {};
  const ignored: string[] = [];
  const byFlag = new Map(specs.map((s) => [s.flag, s]));
  for (const [flag, raw] of Object.entries(params)) {
    const s = byFlag.get(flag);
    if (!s) continue;
    const r = parseOption(s, raw);
    if ("problem" in r) ignored.push(flag);
    else values[s.key] = r.value;
  }
  return { values, ignored };
}

// English → Spanish phrase pairs from the Unicode CLDR data behind the
// platform's Intl API: full dates, relative times, lists of weekdays and
// months, and amounts with units. Each family is compositional (words,
// reordering, agreement, digits), so pairs held out of training can be
// translated by a model that learned the patterns. Deterministic for a seed;
// browsers' Intl data differ slightly from Node's, so apps ship pairs
// generated at build time.

import { shuffle } from "../training/batches.ts";
import { Random } from "../util/random.ts";
import type { TextPair } from "./formats.ts";

const UNITS = [
  "kilometer", "meter", "centimeter", "millimeter", "mile", "foot", "inch", "kilogram", "gram", "pound", "liter",
  "milliliter", "hour", "minute", "second", "day", "week", "month", "year", "byte", "kilobyte", "megabyte",
] as const;
const RELATIVE_UNITS = ["second", "minute", "hour", "day", "week", "month", "quarter", "year"] as const;

function pick<T>(rng: Random, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)];
}

function int(rng: Random, lo: number, hi: number): number {
  return lo + Math.floor(rng.next() * (hi - lo + 1));
}

type Family = (rng: Random) => [string, string];

const both = <O>(make: (locale: string) => { format(x: O): string }, x: O): [string, string] => [make("en-US").format(x), make("es-ES").format(x)];

/** Intl formatters are slow to make and cheap to reuse: one per kind, locale and options. */
const formatters = new Map<string, unknown>();
function cached<F>(kind: string, locale: string, options: object, make: () => F): F {
  const key = `${kind}|${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key) as F | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}
const dateFormat = (l: string, o: Intl.DateTimeFormatOptions) => cached("date", l, o, () => new Intl.DateTimeFormat(l, o));

const FAMILIES: Record<string, Family> = {
  date: (rng) => {
    const d = new Date(Date.UTC(int(rng, 1950, 2049), int(rng, 0, 11), int(rng, 1, 28)));
    return both((l) => dateFormat(l, { weekday: "long", year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }), d);
  },
  relative: (rng) => {
    const unit = pick(rng, RELATIVE_UNITS);
    const n = int(rng, -20, 20);
    const f = (l: string) => cached("relative", l, {}, () => new Intl.RelativeTimeFormat(l, { numeric: "auto" }));
    return [f("en-US").format(n, unit), f("es-ES").format(n, unit)];
  },
  list: (rng) => {
    const months = rng.next() < 0.5;
    const type = rng.next() < 0.7 ? "conjunction" : "disjunction";
    const n = int(rng, 2, 4);
    const idx = shuffle(Array.from({ length: months ? 12 : 7 }, (_, i) => i), rng).slice(0, n);
    const names = (l: string) =>
      idx.map((i) =>
        months
          ? dateFormat(l, { month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2001, i, 1)))
          : dateFormat(l, { weekday: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2001, 0, 1 + i))),
      );
    const f = (l: string) => cached("list", l, { type }, () => new Intl.ListFormat(l, { type, style: "long" }));
    return [f("en-US").format(names("en-US")), f("es-ES").format(names("es-ES"))];
  },
  unit: (rng) => {
    const unit = pick(rng, UNITS);
    const n = rng.next() < 0.15 ? 1 : int(rng, 2, 999);
    return both((l) => cached("number", l, { unit }, () => new Intl.NumberFormat(l, { style: "unit", unit, unitDisplay: "long" })), n);
  },
};

/** `count` distinct pairs, drawn from every family in turn. */
export function phrasePairs(count: number, seed = 1): TextPair[] {
  const rng = new Random(seed);
  const families = Object.values(FAMILIES);
  const seen = new Set<string>();
  const pairs: TextPair[] = [];
  for (let i = 0, misses = 0; pairs.length < count && misses < 100 * count; i++) {
    const [source, target] = families[i % families.length](rng);
    if (seen.has(source)) {
      misses++;
      continue;
    }
    seen.add(source);
    pairs.push({ source, target });
  }
  return pairs;
}

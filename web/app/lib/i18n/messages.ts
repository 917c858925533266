// The catalogues by language, and a message filled or cut at its places:
// plain functions a module without runes (a page's arithmetic, a test in
// Node) can use; i18n.svelte.ts adds the language shown.

import { en, type MessageKey } from "./en.ts";
import { es } from "./es.ts";
import type { Language } from "./language.ts";

const CATALOGUES: Record<Language, Record<MessageKey, string>> = { en, es };

/** A message with its `{name}` places filled in. */
export function format(language: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  return CATALOGUES[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

/** A message cut at its `{name}` places, for markup that puts an element (a link) in one: texts and names in order. */
export function segments(language: Language, key: MessageKey): ({ text: string } | { name: string })[] {
  return CATALOGUES[language][key].split(/(\{\w+\})/).filter(Boolean).map((part) => (/^\{\w+\}$/.test(part) ? { name: part.slice(1, -1) } : { text: part }));
}

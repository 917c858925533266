// The language the playground speaks now, its messages, and numbers in its
// conventions (Intl). The language comes from the link (`lang`, kept by the
// router across pages) or the browser, and a switch in the header changes it.

import type { MessageKey } from "./en.ts";
import { chooseLanguage, type Language } from "./language.ts";
import { LIBRARY_ES } from "./library.es.ts";
import { format, segments } from "./messages.ts";

class I18n {
  language = $state<Language>("en");

  /** Follows the link's choice, or the browser's languages. */
  choose(fromLink: string | undefined): void {
    this.language = chooseLanguage(fromLink, typeof navigator === "undefined" ? [] : navigator.languages ?? [navigator.language]);
    if (typeof document !== "undefined") document.documentElement.lang = this.language;
  }

  segments = (key: MessageKey) => segments(this.language, key);

  /** A text the library gives in English (an option's name, a metric), in the language shown. */
  lib = (text: string): string => (this.language === "es" && Object.hasOwn(LIBRARY_ES, text) ? LIBRARY_ES[text] : text);

  /** A message with a singular and a plural form ("… {n} epoch|… {n} epochs"), chosen by the language's rules for n. */
  plural = (key: MessageKey, n: number, values: Record<string, string | number> = {}): string => {
    const [one, other = one] = format(this.language, key, { n, ...values }).split("|");
    return new Intl.PluralRules(this.language).select(n) === "one" ? one : other;
  };

  t = (key: MessageKey, values?: Record<string, string | number>): string => format(this.language, key, values);

  /** A number with the language's separators; `digits` after the point. */
  number = (x: number, digits = 2): string =>
    new Intl.NumberFormat(this.language, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);

  percent = (x: number, digits = 0): string =>
    new Intl.NumberFormat(this.language, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);

  /** A small or large positive number in scientific notation (1.2E-5 → "1,2 × 10⁻⁵" in Spanish). */
  scientific = (x: number): string => {
    if (!Number.isFinite(x) || x === 0) return this.number(x, 0);
    const exponent = Math.floor(Math.log10(Math.abs(x)));
    if (exponent >= -2 && exponent <= 3) return this.number(x, exponent >= 1 ? 1 : 3);
    const superscript = String(exponent).replace(/[-0-9]/g, (c) => "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"["-0123456789".indexOf(c)]);
    return `${this.number(x / 10 ** exponent, 1)} × 10${superscript}`;
  };
}

export const i18n = new I18n();
export const t = i18n.t;

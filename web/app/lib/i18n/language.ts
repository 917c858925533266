// Which language the playground speaks: the link's `lang` when it names one
// we have, else the first of the browser's languages we have, else English.

export const LANGUAGES = ["en", "es"] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (v: unknown): v is Language => LANGUAGES.some((l) => l === v);

/** The language to show for a link's `lang` parameter and the browser's languages (most preferred first). */
export function chooseLanguage(fromLink: string | undefined, browser: readonly string[]): Language {
  if (isLanguage(fromLink)) return fromLink;
  for (const tag of browser) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}

/** Each language's name in itself, for the switch. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", es: "Español" };

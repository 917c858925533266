// A browser whose language is no valid language tag (WebKit under LANG=C says
// "C") makes every Intl call given navigator.language throw — uPlot makes one
// as it loads, which would leave the page blank. Imported before everything
// else, this puts a valid tag in its place first.

function usable(tag: string | undefined): boolean {
  try {
    return !!tag && !!new Intl.NumberFormat(tag);
  } catch {
    return false;
  }
}

if (typeof navigator !== "undefined" && !usable(navigator.language)) {
  const valid = (navigator.languages ?? []).filter(usable);
  const language = valid[0] ?? "en-US";
  Object.defineProperty(navigator, "language", { value: language, configurable: true });
  Object.defineProperty(navigator, "languages", { value: Object.freeze(valid.length ? valid : [language]), configurable: true });
}

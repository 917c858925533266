// Hash routes: the page and its settings live in location.hash. Settings
// changes replace the history entry (no back-button noise); page changes push.
// The language (`lang`) is a setting of every page: it goes along to the next.

import { untrack } from "svelte";
import { formatHash, type Location, parseHash } from "./url-state.ts";

/** The pages in the order the header lists them, with their titles (in English; the header shows the language's). */
export const PAGE_TITLES = {
  start: "Start here",
  concepts: "Concepts",
  sentiment: "Sentiment",
  translation: "Translation",
  names: "Names",
  series: "Time series",
  shapes: "Shapes",
  gradients: "Gradients",
  cells: "Inside the cells",
  models: "Models",
  speed: "Speed",
} as const;
export type Page = keyof typeof PAGE_TITLES;
export const PAGES = Object.keys(PAGE_TITLES) as Page[];

class Router {
  location = $state<Location>(parseHash(typeof window === "undefined" ? "" : window.location.hash));
  /** Counts changes from outside the page (a link, the address bar, back and forward), not its own settings updates. */
  visits = $state(0);

  constructor() {
    if (typeof window === "undefined") return;
    window.addEventListener("hashchange", () => {
      this.location = parseHash(window.location.hash);
      this.visits++;
    });
  }

  get page(): Page {
    return Object.hasOwn(PAGE_TITLES, this.location.page) ? (this.location.page as Page) : "start";
  }

  /** The params with the language, which every page keeps. */
  private withLanguage(params: Record<string, string>, lang: string | undefined): Record<string, string> {
    return lang === undefined || Object.hasOwn(params, "lang") ? params : { ...params, lang };
  }

  /** A page's link, keeping the language (read tracked: links follow a change of language). */
  href(page: Page, params: Record<string, string> = {}): string {
    return formatHash({ page, params: this.withLanguage(params, this.location.params.lang) });
  }

  go(page: Page, params: Record<string, string> = {}): void {
    window.location.hash = untrack(() => this.href(page, params));
  }

  /** Another language, for this page and the next ones, in the link. */
  setLanguage(lang: string): void {
    this.replaceParams({ ...untrack(() => this.location.params), lang });
  }

  /**
   * New settings for the current page, without a new history entry. The location is read untracked:
   * an effect that writes the page's settings must not re-run (and write its old settings back over a
   * link's) when a link changes the location.
   */
  replaceParams(params: Record<string, string>): void {
    const hash = formatHash({ page: untrack(() => this.page), params: this.withLanguage(params, untrack(() => this.location.params.lang)) });
    if (hash === window.location.hash) return;
    history.replaceState(history.state, "", hash);
    this.location = parseHash(hash);
  }
}

export const router = new Router();

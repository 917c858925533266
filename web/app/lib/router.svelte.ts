// Hash routes: the page and its settings live in location.hash. Settings
// changes replace the history entry (no back-button noise); page changes push.

import { untrack } from "svelte";
import { formatHash, type Location, parseHash } from "./url-state.ts";

/** The pages in the order the header lists them, with their titles. */
export const PAGE_TITLES = {
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
    return Object.hasOwn(PAGE_TITLES, this.location.page) ? (this.location.page as Page) : "sentiment";
  }

  go(page: Page, params: Record<string, string> = {}): void {
    window.location.hash = formatHash({ page, params });
  }

  /**
   * New settings for the current page, without a new history entry. The location is read untracked:
   * an effect that writes the page's settings must not re-run (and write its old settings back over a
   * link's) when a link changes the location.
   */
  replaceParams(params: Record<string, string>): void {
    const hash = formatHash({ page: untrack(() => this.page), params });
    if (hash === window.location.hash) return;
    history.replaceState(history.state, "", hash);
    this.location = parseHash(hash);
  }
}

export const router = new Router();

// A page follows its link: when a link, the address bar or back and forward
// change the page's settings from outside (not the page's own updates of
// its URL), the page reads them again.

import { untrack } from "svelte";
import { router } from "./router.svelte.ts";

/** Calls `apply` (untracked) after each outside change of the location; call it while a component or an effect root is being set up. */
export function onLinkChange(apply: () => void): void {
  let seen = router.visits;
  $effect(() => {
    if (router.visits === seen) return;
    seen = router.visits;
    untrack(apply);
  });
}

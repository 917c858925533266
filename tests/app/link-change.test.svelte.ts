// A page follows its link: a link edited in the tab (the address bar, back and
// forward) brings its settings to the page, the page's own updates of its URL
// do not count as one. (The gradients page once snapped length=80 back to 60.)

import { flushSync } from "svelte";
import { expect, it } from "vitest";
import { onLinkChange } from "../../web/app/lib/link-change.svelte.ts";
import { router } from "../../web/app/lib/router.svelte.ts";

const hashChanged = () => new Promise<void>((resolve) => window.addEventListener("hashchange", () => resolve(), { once: true }));

it("calls back on a link's change, not on the page's own settings updates", async () => {
  const seen: string[] = [];
  const stop = $effect.root(() => onLinkChange(() => seen.push(router.location.params.length ?? "")));
  flushSync();
  const changed = hashChanged();
  window.location.hash = "#/gradients?length=80";
  await changed;
  flushSync();
  expect(seen).toEqual(["80"]);
  router.replaceParams({ length: "90" });
  flushSync();
  expect(seen).toEqual(["80"]);
  const again = hashChanged();
  window.location.hash = "#/gradients?length=120";
  await again;
  flushSync();
  expect(seen).toEqual(["80", "120"]);
  stop();
});

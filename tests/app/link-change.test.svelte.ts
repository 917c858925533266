// A page follows its link: a link edited in the tab (the address bar, back and
// forward) brings its settings to the page, and the page's own writing of its
// settings to the URL neither counts as a link nor writes the old settings
// back over a new link's. (The gradients page once snapped length=80 back to 60.)

import { flushSync } from "svelte";
import { expect, it } from "vitest";
import { onLinkChange } from "../../web/app/lib/link-change.svelte.ts";
import { router } from "../../web/app/lib/router.svelte.ts";

const hashChanged = () => new Promise<void>((resolve) => window.addEventListener("hashchange", () => resolve(), { once: true }));

async function follow(hash: string): Promise<void> {
  const changed = hashChanged();
  window.location.hash = hash;
  await changed;
  flushSync();
}

it("a page that writes its settings to the URL takes a link's settings, and its own updates are no link", async () => {
  window.location.hash = "#/gradients?length=60";
  router.location = { page: "gradients", params: { length: "60" } };
  const page = $state({ length: "60" });
  let links = 0;
  // As a page does: its settings written to the URL (declared first), then the link followed.
  const stop = $effect.root(() => {
    $effect(() => router.replaceParams({ length: page.length }));
    onLinkChange(() => {
      links++;
      page.length = router.location.params.length;
    });
  });
  flushSync();
  await follow("#/gradients?length=80");
  expect(page.length).toBe("80");
  expect(window.location.hash).toBe("#/gradients?length=80");
  page.length = "90";
  flushSync();
  expect(window.location.hash).toBe("#/gradients?length=90");
  expect(links).toBe(1);
  await follow("#/gradients?length=120");
  expect(page.length).toBe("120");
  expect(links).toBe(2);
  stop();
});

/// <reference lib="webworker" />
// The service worker (vite-plugin-pwa, injectManifest): precaches the shell,
// the workers, every engine build and the small data sets on install; serves
// IMDB's reviews and ONNX Runtime Web from their own caches once fetched; and, because plain static
// hosts send no isolation headers, adds COOP/COEP/CORP to every same-origin
// response it serves, so the page becomes cross-origin isolated (shared
// memory for multi-threaded training) after one reload. A new version waits
// until the page asks for it: an update never reloads a page that trains.

import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, addPlugins } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { CacheFirst } from "workbox-strategies";
import type { WorkboxPlugin } from "workbox-core";

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

const DATA_CACHE = "gated-data";
const PEER_CACHE = "gated-peers";

/** The same response with the headers that make the page cross-origin isolated. */
function isolated(response: Response): Response {
  if (response.type === "opaque" || response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const isolation: WorkboxPlugin = { handlerWillRespond: async ({ response }) => isolated(response) };

addPlugins([isolation]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL("index.html")));
registerRoute(({ url }) => url.origin === self.location.origin && url.pathname.endsWith("/data/reviews.json.gz"), new CacheFirst({ cacheName: DATA_CACHE, plugins: [isolation] }));
// ONNX Runtime Web, fetched only when the Speed page compares with it (asset names keep their hashes).
registerRoute(
  ({ url }) => url.origin === self.location.origin && /\/assets\/(ort[-.][^/]*|[^/]*\.onnx)$/.test(url.pathname),
  new CacheFirst({ cacheName: PEER_CACHE, plugins: [isolation] }),
);
// Anything else of this origin (not precached) still gets the headers, from the network.
registerRoute(
  ({ url }) => url.origin === self.location.origin,
  async ({ request }) => isolated(await fetch(request)),
);

self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") void self.skipWaiting();
});
// The first version takes the open page at once (it must, to isolate it); later ones wait for SKIP_WAITING.
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

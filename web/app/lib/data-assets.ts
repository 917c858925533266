// The presets' data sets in the browser: the app's own assets, derived from
// the npm packages at build time (scripts/build-app-data.mjs). Small ones are
// precached by the service worker; IMDB's reviews are gzipped and fetched
// when first chosen, then cached for offline use.

import { GatedError } from "../../lib/errors.ts";
import type { PresetName, PresetSettings, PresetSources } from "../../lib/data/presets.ts";

/** A built-in data set a page offers. */
export interface DataChoice {
  id: string;
  label: string;
  about: string;
  preset: PresetName;
  settings?: PresetSettings;
  /** An asset to download before training (with a progress bar), relative to the app. */
  asset?: { url: string; size: string };
  /** Options that suit this data, set in the form when it is chosen. */
  options?: Record<string, number | string | boolean>;
}

/** The data a page will train on. */
export type Selection = { kind: "preset"; choice: DataChoice } | { kind: "file"; name: string; text: string; column?: string };

export const REVIEWS = "reviews.json.gz";

export function browserSources(base: string): PresetSources {
  const cache = new Map<string, Promise<unknown>>();
  const load = <T>(name: string, read: (r: Response) => Promise<T>): Promise<T> => {
    let p = cache.get(name) as Promise<T> | undefined;
    if (!p) {
      p = fetch(new URL(name, base)).then((r) => {
        if (!r.ok) throw new GatedError(`could not load the data set ${name}: HTTP ${r.status}`);
        return read(r);
      });
      p.catch(() => cache.delete(name));
      cache.set(name, p);
    }
    return p;
  };
  const json = <T>(name: string) => load<T>(name, (r) => r.json());
  return {
    dinosaurs: () => json("dinosaurs.json"),
    sentences: () => json("sentences.json"),
    reviews: () => load(REVIEWS, (r) => new Response(r.body!.pipeThrough(new DecompressionStream("gzip"))).json()),
    phrases: async (count) => (await json<{ source: string; target: string }[]>("phrases.json")).slice(0, count),
    co2: () => json("co2.json"),
    firstNames: () => json("first-names.json"),
  };
}

/** Downloads an asset into the cache the service worker reads, reporting bytes as they come. */
export async function download(url: string, onProgress: (loaded: number, total: number) => void): Promise<void> {
  // The browser says only "Failed to fetch" when it cannot reach the site: say what that means here.
  const response = await fetch(url, { cache: "no-cache" }).catch(() => {
    throw new GatedError("the download could not start: this device seems to be offline (or the site cannot be reached). Try again when online; once downloaded, the data set is kept for offline use");
  });
  if (!response.ok || !response.body) throw new Error(`could not download ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get("content-length")) || 0;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress(loaded, total);
  }
  const cache = await caches.open(DATA_CACHE);
  await cache.put(url, new Response(new Blob(chunks as BlobPart[]), { headers: { "content-type": "application/gzip", "content-length": String(loaded) } }));
}

/** Whether an asset is in the cache (so training with it works offline). */
export async function cached(url: string): Promise<boolean> {
  if (typeof caches === "undefined") return false;
  return !!(await (await caches.open(DATA_CACHE)).match(url));
}

/** The cache the service worker serves large data sets from. */
export const DATA_CACHE = "gated-data";

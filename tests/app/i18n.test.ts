// The playground's languages: chosen from the link, then the browser, then
// English; every message of the catalogue translated with the same places
// to fill; messages filled and cut at their places.

import { expect, it } from "vitest";
import { en } from "../../web/app/lib/i18n/en.ts";
import { es } from "../../web/app/lib/i18n/es.ts";
import { format, segments } from "../../web/app/lib/i18n/messages.ts";
import { chooseLanguage } from "../../web/app/lib/i18n/language.ts";

it("takes the link's language, else the browser's first one it has, else English", () => {
  expect(chooseLanguage("es", ["en-US"])).toBe("es");
  expect(chooseLanguage("fr", ["es-MX", "en"])).toBe("es");
  expect(chooseLanguage(undefined, ["de-DE", "en-GB", "es"])).toBe("en");
  expect(chooseLanguage(undefined, ["de", "fr"])).toBe("en");
  expect(chooseLanguage(undefined, [])).toBe("en");
});

it("has every message in Spanish, translated, with the same places to fill", () => {
  const places = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
  for (const key of Object.keys(en) as (keyof typeof en)[]) {
    expect(places(es[key]), key).toEqual(places(en[key]));
    // Names of the cells and symbols are the same in both; sentences are not.
    if (en[key].split(" ").length > 2) expect(es[key], key).not.toBe(en[key]);
  }
});

it("fills a message's places and cuts it at them", () => {
  expect(format("es", "start.training", { step: 3, total: 600, accuracy: "50 %" })).toBe("Aprendiendo: paso 3 de 600 · precisión 50 %");
  expect(format("en", "shell.engine", {})).toBe("Engine: {build}");
  expect(segments("en", "shell.threads")).toEqual([{ text: "Threads: " }, { name: "count" }]);
});

it("has Spanish for every option's name and description and every file format the library declares", async () => {
  const { SPECS } = await import("../../web/lib/pipelines/specs.ts");
  const { LAB_OPTIONS } = await import("../../web/lib/labs/gradient-lab.ts");
  const { LIBRARY_ES } = await import("../../web/app/lib/i18n/library.es.ts");
  const texts = [...[...Object.values(SPECS).flatMap((s) => s.options), ...LAB_OPTIONS].flatMap((o) => [o.label, o.description]), ...Object.values(SPECS).map((s) => s.fileFormat)];
  expect(texts.length).toBeGreaterThan(60);
  expect(texts.filter((x) => !Object.hasOwn(LIBRARY_ES, x))).toEqual([]);
});

// The Concepts page's links open a page ready to run: every setting a link
// carries is one that page reads, with a value its check accepts; every
// concept is there in Spanish and in English.

import { expect, it } from "vitest";
import { LAB_OPTIONS } from "../../web/lib/labs/gradient-lab.ts";
import { type OptionSpec, parseOption } from "../../web/lib/pipelines/options.ts";
import { SPECS } from "../../web/lib/pipelines/specs.ts";
import { CONCEPTS } from "../../web/app/pages/concepts/concepts.ts";
import { PAGES } from "../../web/app/lib/router.svelte.ts";

const CELL: OptionSpec = { key: "cell", flag: "cell", label: "Cell", description: "", group: "model", type: "choice", default: "lstm", choices: ["rnn", "lstm", "gru"] };
const SETTINGS: Partial<Record<string, readonly OptionSpec[]>> = {
  start: [CELL],
  shapes: [CELL],
  gradients: LAB_OPTIONS,
  sentiment: SPECS.classifier.options,
  names: SPECS["language-model"].options,
  translation: SPECS.translator.options,
  series: SPECS.forecaster.options,
  cells: [],
};

it("links each concept to a page with settings that page reads and accepts", () => {
  expect(CONCEPTS.length).toBeGreaterThanOrEqual(15);
  for (const c of CONCEPTS) {
    expect(PAGES).toContain(c.page);
    const specs = SETTINGS[c.page];
    expect(specs, c.page).toBeDefined();
    for (const [flag, raw] of Object.entries(c.params)) {
      const spec = specs!.find((s) => s.flag === flag);
      expect(spec, `${c.term.en}: ${flag}`).toBeDefined();
      expect(parseOption(spec!, raw), `${c.term.en}: ${flag}=${raw}`).toHaveProperty("value");
    }
    for (const text of [c.term.es, c.term.en, c.see.es, c.see.en]) expect(text.length).toBeGreaterThan(5);
    expect(c.term.es).not.toBe(c.term.en);
  }
});

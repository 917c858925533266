// Three groups of tests: the library and CLI in Node (unit), the playground's
// stores and components under jsdom with Svelte's browser build (app), and
// the built playground in Debian's Chromium, Firefox and WebKit (e2e; one
// file at a time, so that two browsers training at once do not blur its
// timing checks). Inline projects do not inherit the root's settings, so
// each states its own timeout: long enough for a loaded machine (vitest's
// default of 5 s is not).
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node", testTimeout: 120_000, hookTimeout: 120_000 } },
      { plugins: [svelte(), svelteTesting()], test: { name: "app", include: ["tests/app/**/*.test.ts", "tests/app/**/*.test.svelte.ts"], environment: "jsdom", testTimeout: 120_000, hookTimeout: 120_000 } },
      { test: { name: "e2e", include: ["tests/e2e/**/*.test.ts"], environment: "node", testTimeout: 240_000, hookTimeout: 120_000, fileParallelism: false } },
    ],
  },
});

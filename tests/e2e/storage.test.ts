// What the playground keeps in IndexedDB, in Chromium, against what people
// do: two tabs train the same page at once (each keeps its own checkpoint,
// and one finishing never deletes the other's); an uploaded data file is
// stored once per run, not with every checkpoint; site data cleared while
// the page is open (the next model is still kept: the connection is opened
// again).

import { mkdtempSync, writeFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close, type Harness, isolated, launch, noErrors, open, trainToResults } from "./browser.ts";

let h: Harness;
beforeAll(async () => {
  h = await launch();
});
afterAll(() => close(h));

/** The checkpoints and stored data files the page's origin holds, read from IndexedDB itself. */
const stored = (page: Page) =>
  page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open("gated");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = <T,>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => resolve(r.result as T[]);
        r.onerror = () => reject(r.error);
      });
    const checkpoints = await all<{ slot: string; page: string; job: { file?: { text: string } } }>("checkpoints");
    const data = await all<{ slot: string; text: string }>("data");
    db.close();
    return { checkpoints: checkpoints.map((c) => ({ slot: c.slot, page: c.page, text: c.job.file?.text })), data: data.map((d) => ({ slot: d.slot, length: d.text.length })) };
  });

const REVIEWS = ["text,label", ...Array.from({ length: 3000 }, (_, i) => `"${i % 2 ? "great" : "awful"} film number ${i}",${i % 2 ? "pos" : "neg"}`)].join("\n");

describe("what the playground keeps on the device", () => {
  it("two tabs train the same page: each keeps its own checkpoint, and the uploaded file once, not with every checkpoint", async () => {
    const context = await h.browser.newContext();
    const a = await open(context, `${h.url}#/sentiment?epochs=2000&patience=2000&hidden=32&embedding=16&data=file`);
    await isolated(a.page);
    const file = `${mkdtempSync("/tmp/gated-e2e-")}/reviews.csv`;
    writeFileSync(file, REVIEWS);
    await a.page.getByLabel("Choose a file").setInputFiles(file);
    await a.page.getByRole("button", { name: "Train", exact: true }).click();
    // Checkpoints are kept every 5 seconds: wait for at least two.
    await a.page.waitForTimeout(11_000);
    const b = await open(context, `${h.url}#/sentiment?epochs=2&hidden=16&embedding=16`);
    await isolated(b.page);
    await trainToResults(b.page);
    const { checkpoints, data } = await stored(a.page);
    // B finished (and dropped its own); A's is there, its file's text stored apart, once.
    expect(checkpoints).toHaveLength(1);
    expect(checkpoints[0]).toMatchObject({ page: "sentiment", text: "" });
    expect(data).toEqual([{ slot: checkpoints[0].slot, length: REVIEWS.length }]);
    await expect(a.page.getByText(/Epoch \d+ of 2000/).count()).resolves.toBe(1);
    // A closed tab's checkpoint is offered to the next visit, its file's text back in the job.
    await a.page.close();
    const c = await open(context, `${h.url}#/sentiment?epochs=2000&patience=2000&hidden=32&embedding=16&data=file`);
    await c.page.getByRole("button", { name: "Resume training" }).click();
    await c.page.getByText(/Epoch \d+ of 2000/).waitFor();
    await c.page.getByRole("button", { name: "Stop" }).click();
    await c.page.getByRole("heading", { name: /Held-out results/ }).waitFor({ timeout: 60_000 });
    // It trained on the uploaded file: its 3,000 texts, split as before.
    expect(await c.page.getByText(/2,430 training and 270 validation examples, 300 held out/).count()).toBe(1);
    noErrors([...a.errors, ...b.errors, ...c.errors]);
    await context.close();
  });

  it("site data cleared while the page is open: the next model is still kept", async () => {
    const context = await h.browser.newContext();
    const { page, errors } = await open(context, `${h.url}#/sentiment?epochs=1&hidden=16&embedding=16`);
    await isolated(page);
    await trainToResults(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Storage.clearDataForOrigin", { origin: new URL(h.url).origin, storageTypes: "indexeddb" });
    await trainToResults(page);
    await expect(page.getByRole("alert").count()).resolves.toBe(0);
    await page.goto(`${h.url}#/models`);
    await page.locator("ul.models > li").first().waitFor();
    await expect(page.locator("ul.models > li").count()).resolves.toBe(1);
    noErrors(errors);
    await context.close();
  });
});

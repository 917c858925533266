// The lecture notes' pages in the built playground, in Debian's Chromium:
// each trains or measures in its workers and shows what the notes describe.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { accessibilityProblems, close, type Harness, launch, noErrors, openIsolated, overflows, screenshot, SHOTS, trainToResults } from "./browser.ts";

let h: Harness;
beforeAll(async () => {
  h = await launch();
});
afterAll(() => close(h));

/** With its results showing: no serious axe violation, and on a 390 px phone no sideways scrolling; photographed both ways. */
async function forEveryone(page: Page, name: string): Promise<void> {
  expect(await accessibilityProblems(page), name).toEqual([]);
  await screenshot(page, name);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  expect(await overflows(page), `${name} at 390px`).toBe(false);
  await screenshot(page, `${name}-390`);
}

describe("names", () => {
  it("trains a character model, streams samples after every epoch, and invents names marked new, with each letter's distribution", async () => {
    const { context, page, errors } = await openIsolated(h, "#/names?epochs=5");
    await trainToResults(page);
    await expect(page.locator(".feed li").count()).resolves.toBe(5);
    await page.getByLabel("How many").fill("20");
    await page.getByRole("button", { name: "Generate" }).click();
    const names = page.getByRole("list", { name: "Samples" }).getByRole("button");
    await names.first().waitFor();
    await expect(names.count()).resolves.toBe(20);
    const marks = await page.locator(".names .badge").allTextContents();
    expect(marks).toHaveLength(20);
    expect(marks.filter((m) => m === "new").length).toBeGreaterThanOrEqual(10);
    // The distribution of every drawn letter, the end included.
    const first = (await names.first().textContent())!.replace(/new|in the list/, "");
    await expect(page.locator(".steps li").count()).resolves.toBe(first.length + 1);
    await expect(page.locator(".steps li .drawn").last().textContent()).resolves.toBe("end");
    await page.getByLabel("Starts with").fill("tyr");
    await page.getByRole("button", { name: "Generate" }).click();
    await page.waitForFunction(() => [...document.querySelectorAll(".names button")].every((b) => b.textContent!.startsWith("tyr")));
    await forEveryone(page, "names-trained");
    noErrors(errors);
    await context.close();
  });
});

describe("gradients", () => {
  it("trains RNN, LSTM and GRU side by side in workers: the RNN's gradient vanishes with distance, the LSTM's reaches back and it learns", async () => {
    const { context, page, errors } = await openIsolated(h, "#/gradients");
    const row = async (cell: string) => {
      const cells = await page.locator(`tr[data-cell="${cell}"] td`).allTextContents();
      return { accuracy: Number(cells[1].replace("%", "")), reach: Number(cells[2]) };
    };
    // At the first step, on the same batch: how much of the gradient gets back 40 steps.
    await page.getByLabel("Steps", { exact: true }).fill("1");
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByText("step 1 of 1 — done").waitFor({ timeout: 60_000 });
    const first = { rnn: await row("rnn"), lstm: await row("lstm") };
    expect(first.rnn.reach).toBeLessThan(1e-6);
    expect(first.lstm.reach).toBeGreaterThan(1000 * first.rnn.reach);
    // Trained: the LSTM learns the dependency, the RNN stays near chance.
    await page.getByLabel("Steps", { exact: true }).fill("500");
    await page.getByRole("button", { name: "Restart" }).click();
    await page.getByText("step 500 of 500 — done").waitFor({ timeout: 120_000 });
    expect((await row("lstm")).accuracy).toBeGreaterThan(90);
    expect((await row("rnn")).accuracy).toBeLessThan(70);
    // The settings are in the link; truncated BPTT leaves the early steps without gradient.
    await page.getByLabel("Truncated BPTT").fill("10");
    await page.getByLabel("Sequence length T").fill("20");
    await page.keyboard.press("Tab");
    await expect.poll(() => page.url()).toMatch(/\?length=20&tbptt=10$/);
    await page.getByLabel("Steps", { exact: true }).fill("5");
    await page.getByRole("button", { name: "Restart" }).click();
    await page.getByText("step 5 of 5 — done").waitFor();
    await expect(page.locator('tr[data-cell="gru"] td.reach').textContent()).resolves.toBe("0");
    await forEveryone(page, "gradients-trained");
    noErrors(errors);
    await context.close();
  });

  it("draws the gradient chart at long lengths too, where the RNN's gradient reaches 0 (a log scale floored, never a blank chart)", async () => {
    const { context, page, errors } = await openIsolated(h, "#/gradients?length=60");
    // A link edited in this tab brings its settings (it once snapped back to the page's own).
    await page.evaluate(() => (window.location.hash = "#/gradients?length=150"));
    await expect.poll(() => page.getByLabel("Sequence length T").inputValue()).toBe("150");
    await page.getByLabel("Steps", { exact: true }).fill("20");
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByText("step 20 of 20 — done").waitFor({ timeout: 120_000 });
    // uPlot drew its axes (a failed log axis leaves the canvas without any).
    await expect(page.locator(".chart .u-axis").count()).resolves.toBeGreaterThan(0);
    await page.locator(".chart").first().screenshot({ path: `${SHOTS}gradients-150.png` });
    noErrors(errors);
    await context.close();
  });
});

describe("inside the cells", () => {
  it("opens a model trained on another page, draws each LSTM gate over letters × units, and shows a cell's value on hover", async () => {
    const { context, page, errors } = await openIsolated(h, "#/names?epochs=2&hidden=24");
    await trainToResults(page);
    await page.getByRole("link", { name: "Inside the cells" }).click();
    const panel = page.getByRole("region", { name: "reading · layer 1" });
    await panel.waitFor();
    await expect(panel.locator(".map").evaluateAll((maps) => maps.map((m) => (m as HTMLElement).dataset.gate))).resolves.toEqual(["i", "f", "g", "o", "c", "h"]);
    await expect(panel.getByRole("list", { name: "Mean f at each step" }).getByRole("listitem").count()).resolves.toBe(14); // <s> tyrannosaurus
    await page.getByLabel("Text").fill("rex");
    await page.getByLabel("Units shown").selectOption("8");
    await page.getByRole("button", { name: "Look inside" }).click();
    await expect.poll(() => panel.getByRole("list", { name: "Mean f at each step" }).getByRole("listitem").count()).toBe(4);
    const forget = panel.locator('.map[data-gate="f"]');
    await forget.locator("summary").click();
    await expect(forget.locator("tbody tr").count()).resolves.toBe(8);
    const box = (await forget.locator("canvas").boundingBox())!;
    await page.mouse.move(box.x + 3, box.y + 3);
    await expect(forget.locator(".hover").textContent()).resolves.toMatch(/^unit 1 ← <s>: 0\.\d\d$/);
    await forEveryone(page, "cells");
    noErrors(errors);
    await context.close();
  });
});

describe("time series", () => {
  it("trains on monthly CO₂, forecasts the held-out years feeding its predictions back, and beats the seasonal naive forecast", async () => {
    const { context, page, errors } = await openIsolated(h, "#/series");
    await trainToResults(page);
    const score = async (which: string) => Number(await page.locator(`[data-score="${which}"]`).textContent());
    await page.locator('[data-score="model"]').waitFor();
    expect(await score("model")).toBeLessThan(await score("naive"));
    await expect(page.getByText("model, RMSE over 24 held-out steps").count()).resolves.toBe(1);
    await page.getByLabel("Horizon (steps)").fill("60");
    await page.getByText("model, RMSE over 60 held-out steps").waitFor();
    expect(await score("model")).toBeLessThan(await score("naive"));
    await forEveryone(page, "series-trained");
    noErrors(errors);
    await context.close();
  });
});

describe("shapes", () => {
  it("keeps its cell in the link: opened set to an LSTM, and a new choice written back", async () => {
    const { context, page, errors } = await openIsolated(h, "#/shapes?cell=lstm");
    await expect.poll(() => page.locator("#shapes-cell").inputValue()).toBe("lstm");
    await page.locator("#shapes-cell").selectOption("rnn");
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe("#/shapes?cell=rnn");
    noErrors(errors);
    await context.close();
  });

  it("trains all five shapes in a worker, each with its unrolled diagram, loss curve, held-out accuracy and samples", async () => {
    const { context, page, errors } = await openIsolated(h, "#/shapes");
    await page.getByRole("button", { name: "Train all five" }).click();
    await page.waitForFunction(() => document.querySelectorAll("[data-accuracy]").length === 5, null, { timeout: 120_000 });
    for (const shape of ["one-to-one", "one-to-many", "many-to-one", "many-to-many", "sequence-to-sequence"]) {
      const card = page.locator(`[data-shape="${shape}"]`);
      expect(Number((await card.locator("[data-accuracy]").textContent())!.replace("%", "")), shape).toBeGreaterThanOrEqual(90);
      await expect(card.getByRole("img").getAttribute("aria-label")).resolves.toMatch(/unrolled/);
      await expect(card.locator(".chart").count()).resolves.toBe(1);
      await expect(card.locator("tbody tr").count()).resolves.toBeGreaterThan(0);
    }
    await expect(page.locator('[data-shape="sequence-to-sequence"] tbody tr td').nth(2).textContent()).resolves.toBe(
      [...(await page.locator('[data-shape="sequence-to-sequence"] tbody tr td').first().textContent())!].reverse().join(""),
    );
    await forEveryone(page, "shapes-trained");
    noErrors(errors);
    await context.close();
  });
});

// The lecture notes' pages in the built playground, in Debian's Chromium:
// each trains or measures in its workers and shows what the notes describe.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close, type Harness, isolated, launch, noErrors, open, screenshot, trainToResults } from "./browser.ts";

let h: Harness;
beforeAll(async () => {
  h = await launch();
});
afterAll(() => close(h));

describe("names", () => {
  it("trains a character model, streams samples after every epoch, and invents names marked new, with each letter's distribution", async () => {
    const context = await h.browser.newContext();
    const { page, errors } = await open(context, `${h.url}#/names?epochs=5`);
    await isolated(page);
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
    await screenshot(page, "names-trained");
    noErrors(errors);
    await context.close();
  });
});

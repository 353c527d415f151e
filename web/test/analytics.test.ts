import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createTempDir, makeClip, type TempDir } from "@kino/testkit";
import type { Browser } from "playwright-core";
import { checkPage, launchChromium, openTab, type Tab } from "./browser.ts";
import { newPerson, signUp } from "./people.ts";
import { uploadClip } from "./upload-clip.ts";
import { startWebStack, type WebStack } from "./web-stack.ts";

let stack: WebStack;
let browser: Browser;
let dir: TempDir;
let clip: string;
const tabs: Tab[] = [];
let videoId = "";
let owner: Tab;

before(async () => {
  dir = await createTempDir("kino-web-analytics-");
  // One at a time, so whatever started is assigned and closed by after() even when a later step fails.
  browser = await launchChromium();
  clip = await makeClip(join(dir.path, "lisbon.mp4"), { width: 640, height: 360, seconds: 4 });
  stack = await startWebStack({ analytics: true });
});
after(async () => {
  for (const tab of tabs) assert.deepEqual(tab.problems, [], "no script error or CSP refusal in any tab");
  await browser?.close();
  await stack?.close();
  await dir?.remove();
});

async function tab(): Promise<Tab> {
  const opened = await openTab(browser, stack.baseUrl);
  tabs.push(opened);
  return opened;
}

test("after watching, the SDK flushes and the analytics page shows the view, its watch time, charts, QoE, breakdowns and top videos", async () => {
  owner = await tab();
  const { page } = owner;
  await signUp(page, stack, newPerson("ada"));
  await page.goto("/analytics");
  await page.getByText("Upload a video to see who watches it.").waitFor();
  await checkPage(page, "analytics-empty");

  videoId = await uploadClip(page, clip, "lisbon.mp4");
  const beacons: number[] = [];
  page.on("response", (response) => {
    if (response.url().endsWith("/v1/events")) beacons.push(response.status());
  });
  await page.goto(`/watch/${videoId}`);
  await page.waitForFunction(() => {
    const video = document.querySelector("video");
    return Boolean(video && (video.ended || video.currentTime > 3));
  }, undefined, { timeout: 30_000 });
  // Leaving the page detaches the SDK, which ends the view and flushes what it holds.
  await page.getByRole("link", { name: "Analytics", exact: true }).click();
  await page.getByRole("heading", { name: "Analytics" }).waitFor();

  // The collector buffers and inserts in batches: reload until every figure is in (each query may see the insert at another time).
  const deadline = Date.now() + 60_000;
  let views = "";
  const top = page.getByRole("table", { name: "Top videos" });
  const qoeTable = page.getByRole("table", { name: "Quality of experience over time" });
  while (Date.now() < deadline) {
    await page.waitForLoadState("networkidle");
    views = (await page.locator("[data-figure=views]").textContent({ timeout: 5000 }).catch(() => "")) ?? "";
    const watched = await page.locator("[data-figure=watch-time]").textContent({ timeout: 1000 }).catch(() => "");
    const complete = (await top.getByRole("link", { name: "lisbon" }).isVisible()) && (await qoeTable.isVisible()) && (await page.getByRole("table", { name: /^Views by / }).count()) === 4;
    if (views === "1" && watched && watched !== "0.0 min" && complete) break;
    await page.waitForTimeout(500);
    await page.reload();
  }
  assert.equal(views, "1", "one view");
  assert.ok(beacons.length >= 1, "beacons reached the collector");
  assert.ok(beacons.every((status) => status >= 200 && status < 300), `every beacon accepted: ${beacons.join(", ")}`);
  const watchTime = await page.locator("[data-figure=watch-time]").textContent();
  assert.match(watchTime ?? "", /^0\.\d min$/, "the few seconds watched, in minutes");
  assert.notEqual(watchTime, "0.0 min");
  assert.equal(await page.locator("[data-figure=unique-viewers]").textContent(), "1");

  // Charts for sighted users, the same numbers as tables for everyone.
  await page.locator("[data-chart=views] canvas").waitFor();
  await page.locator("[data-chart=ms] canvas").waitFor();
  const perDay = page.getByRole("table", { name: "Views and watch time per day" });
  assert.equal(await perDay.getByRole("row").nth(1).getByRole("cell").nth(1).textContent(), "1");
  await qoeTable.waitFor();
  assert.match((await qoeTable.getByRole("row").nth(1).getByRole("cell").nth(2).textContent()) ?? "", /^\d+ ms$/, "a startup time");
  assert.match((await page.locator("[data-figure=startup-time]").textContent()) ?? "", /^\d+ ms$/);
  // Chromium on Linux from 127.0.0.1: the collector's enrichment decides the words; the one view is in each.
  for (const [dimension, value] of [["device", /./], ["browser", /Chrom/], ["operating system", /Linux/], ["country", /^Unknown$/]] as const) {
    const table = page.getByRole("table", { name: `Views by ${dimension}` });
    await table.waitFor();
    const cells = table.getByRole("row").nth(1).getByRole("cell");
    const shown = (await cells.first().textContent()) ?? "";
    assert.match(shown, value, `views by ${dimension}: ${shown}`);
    assert.equal((await cells.nth(1).textContent())?.trim(), "1");
  }
  await top.getByRole("link", { name: "lisbon" }).waitFor();
  await checkPage(page, "analytics");
});

test("another person cannot open the first person's analytics: the app says not found and the API refuses", async () => {
  const { page } = await tab();
  await signUp(page, stack, newPerson("bob"));
  await page.goto(`/analytics/${videoId}`);
  await page.getByRole("heading", { name: "Not found" }).waitFor();
  assert.equal(await page.locator("[data-figure=views]").count(), 0);
  await checkPage(page, "analytics-not-found");
  const answer = await page.evaluate(async (id) => {
    const csrf = /kino_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? "";
    const now = Date.now();
    const response = await fetch("/kino.analytics.v1.AnalyticsService/GetVideoSummary", {
      method: "POST",
      headers: { "content-type": "application/json", "x-kino-csrf": csrf },
      body: JSON.stringify({ videoId: id, range: { startTime: new Date(now - 86_400_000).toISOString(), endTime: new Date(now + 3_600_000).toISOString() } }),
    });
    return { status: response.status, body: (await response.json()) as { code: string } };
  }, videoId);
  assert.equal(answer.status, 404);
  assert.equal(answer.body.code, "not_found");
});

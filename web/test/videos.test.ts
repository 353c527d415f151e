import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createTempDir, makeClip, type TempDir } from "@kino/testkit";
import type { Browser, Page } from "playwright-core";
import { checkPage, launchChromium, openTab, type Tab } from "./browser.ts";
import { newPerson, signUp } from "./people.ts";
import { startWebStack, type WebStack } from "./web-stack.ts";

let stack: WebStack;
let browser: Browser;
let dir: TempDir;
let clip: string;
const tabs: Tab[] = [];
let videoId = "";

before(async () => {
  dir = await createTempDir("kino-web-videos-");
  // One at a time, so whatever started is assigned and closed by after() even when a later step fails.
  browser = await launchChromium();
  clip = await makeClip(join(dir.path, "clip.mp4"), { width: 640, height: 360, seconds: 4 });
  // Search answers the watch page's related videos.
  stack = await startWebStack({ search: true });
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

/** Every status the item shows until `final`, polled as a person would watch it. */
async function statusesUntil(page: Page, item: ReturnType<Page["locator"]>, final: string): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const status = await item.locator("[data-status]").first().getAttribute("data-status", { timeout: 1000 }).catch(() => null);
    if (status && seen.at(-1) !== status) seen.push(status);
    if (status === final) return seen;
    await page.waitForTimeout(100);
  }
  throw new Error(`no ${final} within 2 minutes; saw ${seen.join(" → ")}`);
}

let owner: Tab;

test("upload several files: a non-video refused before any byte moves, a text file named .mp4 refused by the server with its reason, a clip followed live to READY", async () => {
  owner = await tab();
  const { page } = owner;
  await signUp(page, stack, newPerson("ada"));
  await page.getByRole("link", { name: "Upload", exact: true }).click();
  await page.getByRole("heading", { name: "Upload videos" }).waitFor();
  await checkPage(page, "upload");

  const sentBodies: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "PATCH") sentBodies.push(request.url());
  });
  await page.getByLabel("Drop video files here, or choose them").setInputFiles([
    { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("shopping list") },
    { name: "notes.mp4", mimeType: "video/mp4", buffer: Buffer.from("this is text, not a video") },
    { name: "clip.mp4", mimeType: "video/mp4", buffer: await readFile(clip) },
  ]);
  const items = page.getByRole("list", { name: "Uploads" }).getByRole("listitem");
  const textItem = items.filter({ hasText: "notes.txt" });
  await textItem.getByRole("alert").filter({ hasText: "notes.txt is not a video file (text/plain)." }).waitFor();
  const fakeItem = items.filter({ hasText: "notes.mp4" });
  await fakeItem.getByRole("alert").filter({ hasText: /^not a video file$/ }).waitFor();
  const clipItem = items.filter({ hasText: "clip.mp4" });
  const seen = await statusesUntil(page, clipItem, "READY");
  assert.ok(seen.length >= 2 && seen.at(-1) === "READY", `live status moved to READY: ${seen.join(" → ")}`);
  assert.equal(sentBodies.length, 2, "bytes moved for the .mp4 files only");
  await checkPage(page, "upload-done");
  const href = await clipItem.getByRole("link", { name: "Watch clip" }).getAttribute("href");
  videoId = href?.split("/").pop() ?? "";
  assert.match(videoId, /^[a-z0-9]{20}$/);
});

test("the library shows status, poster and duration; edit title, description and visibility", async () => {
  const { page } = owner;
  await page.getByRole("link", { name: "Library", exact: true }).click();
  const row = page.locator(`[data-video-id="${videoId}"]`);
  await row.getByText("Ready").waitFor();
  await row.getByText("0:04").waitFor();
  await row.getByText("Private").waitFor();
  await page.waitForFunction((id) => (document.querySelector<HTMLImageElement>(`[data-video-id="${id}"] .poster img`)?.naturalWidth ?? 0) > 0, videoId);
  await page.locator("[data-status=FAILED]").filter({ hasText: "Failed: not a video file" }).waitFor();
  await checkPage(page, "library");

  await row.getByRole("button", { name: "Edit clip" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit “clip”" });
  await dialog.getByLabel("Title").fill("Holiday in Lisbon");
  await dialog.getByLabel("Description").fill("Trams\nand tiles");
  await checkPage(page, "library-edit");
  await dialog.getByRole("button", { name: "Save" }).click();
  // Until the dialog has gone, its textarea holds the same text as the row's new description.
  await dialog.waitFor({ state: "hidden" });
  await row.getByRole("link", { name: "Holiday in Lisbon", exact: true }).waitFor();
  await row.locator(".description", { hasText: "Trams" }).waitFor();
});

test("watch: the first frame within budget, playback advances, a manual quality switch plays on", async () => {
  const { page } = owner;
  const segments: string[] = [];
  page.on("request", (request) => {
    if (/\.m4s$/.test(request.url())) segments.push(request.url());
  });
  await page.goto(`/watch/${videoId}`);
  // The app marks the first frame it presents; startTime counts from the navigation's start.
  await page.waitForFunction(() => performance.getEntriesByName("kino:first-frame").length > 0, undefined, { timeout: 20_000 });
  const firstFrameMs = await page.evaluate(() => performance.getEntriesByName("kino:first-frame")[0]!.startTime);
  console.log(`first frame of a READY video: ${Math.round(firstFrameMs)} ms after navigation`);
  // The budget is 1.5 s on a quiet machine (figures in the note); the whole suite runs files side by side
  // on two cores, so the test holds a bound that only a real regression (a stall, a retry loop) crosses.
  assert.ok(firstFrameMs <= 5000, `first frame after ${Math.round(firstFrameMs)} ms (budget 1500 ms quiet, 5000 ms under the full suite)`);
  await page.getByRole("heading", { name: "Holiday in Lisbon" }).waitFor();
  await page.waitForFunction(() => (document.querySelector("video")?.currentTime ?? 0) > 1);
  // The sound is the audio group's, stored once: it plays beside the picture, in step.
  const sound = await page.waitForFunction(
    () => {
      const video = document.querySelector("video")!;
      const audio = document.querySelector(".player audio") as HTMLAudioElement | null;
      return audio && !audio.paused && audio.currentTime > 0.5 ? { drift: Math.abs(audio.currentTime - video.currentTime), src: audio.src } : undefined;
    },
    undefined,
    { timeout: 15_000 },
  );
  const { drift } = (await sound.jsonValue())!;
  assert.ok(drift < 0.5, `audio ${drift.toFixed(3)} s away from the picture`);
  assert.ok(segments.some((url) => /\/audio\//.test(url)), "audio segments come from the audio group");

  const quality = page.getByLabel("Quality");
  const options = await quality.locator("option").allTextContents();
  assert.ok(options.length >= 3, `Auto and at least two rungs: ${options.join(", ")}`);
  const lowest = options.at(-1)!;
  const before = await page.evaluate(() => document.querySelector("video")!.currentTime);
  await quality.selectOption({ label: lowest });
  await page.waitForFunction((t) => (document.querySelector("video")?.currentTime ?? 0) > t + 1, before, { timeout: 15_000 }).catch(async () => {
    const state = await page.evaluate(() => ({ t: document.querySelector("video")!.currentTime, ended: document.querySelector("video")!.ended }));
    assert.ok(state.ended, `playback stopped after the switch at ${state.t}`);
  });
  assert.ok(segments.some((url) => url.includes(`/${lowest}/`)), `segments of ${lowest} were fetched: ${segments.join(" ")}`);
  assert.equal(await page.getByRole("alert").count(), 0, "no playback error");
  await checkPage(page, "watch");
});

test("another person cannot open the private video: the app says not found and the API refuses", async () => {
  const { page } = await tab();
  await signUp(page, stack, newPerson("bob"));
  await page.goto(`/watch/${videoId}`);
  await page.getByRole("heading", { name: "Not found" }).waitFor();
  await page.getByText("This video does not exist, or you may not see it.").waitFor();
  assert.equal(await page.locator("video").count(), 0);
  await checkPage(page, "watch-not-found");
  const answer = await page.evaluate(async (id) => {
    const csrf = /kino_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? "";
    const response = await fetch("/kino.playback.v1.PlaybackService/GetPlaybackInfo", {
      method: "POST",
      headers: { "content-type": "application/json", "x-kino-csrf": csrf },
      body: JSON.stringify({ videoId: id }),
    });
    return { status: response.status, body: await response.json() };
  }, videoId);
  assert.equal(answer.status, 404);
  assert.equal(answer.body.code, "not_found");
});

test("delete with confirmation: cancel keeps the video, confirming removes it", async () => {
  const { page } = owner;
  await page.goto("/library");
  const row = page.locator(`[data-video-id="${videoId}"]`);
  await row.getByRole("button", { name: "Delete Holiday in Lisbon" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete “Holiday in Lisbon”?" });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await row.getByText("Ready").waitFor();
  await row.getByRole("button", { name: "Delete Holiday in Lisbon" }).click();
  await checkPage(page, "library-delete");
  await dialog.getByRole("button", { name: "Delete forever" }).click();
  await row.waitFor({ state: "detached" });
  await page.goto(`/watch/${videoId}`);
  await page.getByRole("heading", { name: "Not found" }).waitFor();
});

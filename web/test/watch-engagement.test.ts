import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createTempDir, makeClip, type TempDir } from "@kino/testkit";
import type { Browser, Page } from "playwright-core";
import { callApi } from "./api-call.ts";
import { checkPage, launchChromium, openTab, type Tab } from "./browser.ts";
import { newPerson, signUp } from "./people.ts";
import { uploadClip } from "./upload-clip.ts";
import { startWebStack, type WebStack } from "./web-stack.ts";

let stack: WebStack;
let browser: Browser;
let dir: TempDir;
const tabs: Tab[] = [];
let tram = "";
let funicular = "";
let viewer: Page;

before(async () => {
  dir = await createTempDir("kino-web-engagement-");
  // One at a time, so whatever started is assigned and closed by after() even when a later step fails.
  browser = await launchChromium();
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

test("watch: likes counted once per viewer and kept, comments posted and listed, the server's reason for an empty one", async () => {
  const { page: owner } = await tab();
  await signUp(owner, stack, newPerson("ada"));
  tram = await uploadClip(owner, await makeClip(join(dir.path, "tram.mp4"), { width: 320, height: 180, seconds: 6 }), "tram.mp4");
  funicular = await uploadClip(owner, await makeClip(join(dir.path, "funicular.mp4"), { width: 320, height: 180, seconds: 2 }), "funicular.mp4");
  for (const [id, title] of [[tram, "Tram 28"], [funicular, "Funicular da Bica"]] as const) {
    const answer = await callApi(owner, "kino.catalog.v1.CatalogService/UpdateVideo", { id, title, visibility: "VISIBILITY_PUBLIC", tags: { tags: ["lisbon", "rails"] } });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
  }

  viewer = (await tab()).page;
  await signUp(viewer, stack, newPerson("bob"));
  await viewer.goto(`/watch/${tram}`);
  await viewer.getByRole("heading", { name: "Tram 28", level: 1 }).waitFor();
  const like = viewer.getByRole("button", { name: /^Like(d)? \d+ likes$/ });
  await like.and(viewer.locator("[aria-pressed=false]")).waitFor();
  assert.equal(await like.locator("[data-likes]").textContent(), "0");
  await like.click();
  await like.and(viewer.locator("[aria-pressed=true]")).waitFor();
  assert.equal(await like.locator("[data-likes]").textContent(), "1");
  await viewer.reload();
  await like.and(viewer.locator("[aria-pressed=true]")).waitFor();
  assert.equal(await like.locator("[data-likes]").textContent(), "1", "the like is stored");

  const comments = viewer.getByRole("region", { name: "Comments" });
  await comments.getByText("No comments yet.").waitFor();
  await comments.getByLabel("Add a comment").fill("   ");
  await comments.getByRole("button", { name: "Post comment" }).click();
  const refusal = comments.getByRole("alert").filter({ hasText: /^Comment not posted: / });
  await refusal.waitFor();
  console.log(`an empty comment reads: ${await refusal.textContent()}`);
  assert.match((await refusal.textContent()) ?? "", /comment_text_empty/);
  await comments.getByLabel("Add a comment").fill("The yellow one up to the castle!");
  await comments.getByRole("button", { name: "Post comment" }).click();
  const listed = comments.getByRole("list", { name: "Comments" }).getByRole("article");
  await listed.filter({ hasText: "The yellow one up to the castle!" }).getByText("You").waitFor();
  await checkPage(viewer, "watch-engagement");

  // The owner sees the like and the comment, the comment as another viewer's.
  await owner.goto(`/watch/${tram}`);
  await owner.getByRole("region", { name: "Comments" }).getByRole("article").filter({ hasText: "The yellow one up to the castle!" }).getByText("A viewer").waitFor();
  assert.equal(await owner.getByRole("button", { name: /likes$/ }).locator("[data-likes]").textContent(), "1");
});

test("watch: related videos share tags; a signed-in viewer resumes where they left off", async () => {
  // Related videos follow the search index, which follows the catalog's events.
  const related = viewer.getByRole("list", { name: "Related videos" });
  const deadline = Date.now() + 30_000;
  for (;;) {
    await viewer.goto(`/watch/${tram}`);
    // The related list loads after the player and its own query: a few seconds before asking again.
    if (await related.getByRole("link", { name: "Funicular da Bica" }).waitFor({ timeout: 3000 }).then(() => true, () => false)) break;
    assert.ok(Date.now() < deadline, "the video sharing tags is listed as related");
  }
  assert.equal(await related.getByRole("link", { name: "Tram 28" }).count(), 0, "never its own related video");

  await viewer.waitForFunction(() => (document.querySelector("video")?.currentTime ?? 0) > 2.5, undefined, { timeout: 20_000 });
  await viewer.evaluate(() => document.querySelector("video")!.pause());
  const left = await viewer.evaluate(() => document.querySelector("video")!.currentTime);
  // Pausing saves the position; leaving the page saves it too.
  await related.getByRole("link", { name: "Funicular da Bica" }).click();
  await viewer.getByRole("heading", { name: "Funicular da Bica", level: 1 }).waitFor();
  const saved = await callApi<{ positionMs?: string }>(viewer, "kino.catalog.v1.EngagementService/GetPlaybackPosition", { videoId: tram });
  assert.ok(Math.abs(Number(saved.body.positionMs ?? 0) - left * 1000) < 500, `stored ${saved.body.positionMs} ms, left at ${left} s`);
  await viewer.goto(`/watch/${tram}`);
  await viewer.getByRole("status").filter({ hasText: /^Resumed at 0:0\d$/ }).waitFor();
  const at = await viewer.evaluate(() => document.querySelector("video")!.currentTime);
  assert.ok(at >= left - 0.5, `resumed at ${at} s, left at ${left} s`);
  console.log(`left at ${left.toFixed(2)} s, resumed at ${at.toFixed(2)} s`);
});

test("watch: uploaded captions are a text track of the video, with their cues", async () => {
  const owner = tabs[0]!.page;
  const srt = "1\n00:00:00,500 --> 00:00:03,000\nFares, please!\n\n2\n00:00:03,500 --> 00:00:05,500\nNext stop: Graça\n";
  const upload = await owner.evaluate(
    async ({ id, srt }) => {
      const csrf = /kino_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? "";
      const response = await fetch(`/videos/${id}/captions/pt-pt?label=Portugu%C3%AAs`, { method: "PUT", headers: { "x-kino-csrf": csrf }, body: srt });
      return { status: response.status, text: await response.text() };
    },
    { id: tram, srt },
  );
  assert.equal(upload.status, 200, upload.text);

  await viewer.goto(`/watch/${tram}`);
  await viewer.getByRole("heading", { name: "Tram 28", level: 1 }).waitFor();
  const cues = await viewer.waitForFunction(
    () => {
      const track = document.querySelector("video")?.textTracks[0];
      if (!track) return undefined;
      track.mode = "showing";
      const list = track.cues ? [...track.cues].map((cue) => (cue as VTTCue).text) : [];
      return list.length === 2 ? { language: track.language, label: track.label, list } : undefined;
    },
    undefined,
    { timeout: 30_000, polling: 250 },
  );
  assert.deepEqual(await cues.jsonValue(), { language: "pt-PT", label: "Português", list: ["Fares, please!", "Next stop: Graça"] });
});

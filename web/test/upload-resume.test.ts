import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createTempDir, makeClip, type TempDir } from "@kino/testkit";
import type { Browser } from "playwright-core";
import { launchChromium, openTab, type Tab } from "./browser.ts";
import { newPerson, signUp } from "./people.ts";
import { startWebStack, type WebStack } from "./web-stack.ts";

let stack: WebStack;
let browser: Browser;
let dir: TempDir;
let clip: string;
let tab: Tab | undefined;

before(async () => {
  dir = await createTempDir("kino-web-resume-");
  // One at a time, so whatever started is assigned and closed by after() even when a later step fails.
  browser = await launchChromium();
  clip = await makeClip(join(dir.path, "long-clip.mp4"), { width: 640, height: 360, seconds: 12 });
  stack = await startWebStack();
});
after(async () => {
  if (tab) assert.deepEqual(tab.problems, [], "no script error or CSP refusal");
  await browser?.close();
  await stack?.close();
  await dir?.remove();
});

test("a reload in the middle of an upload resumes from the server's offset once the file is picked again", async () => {
  tab = await openTab(browser, stack.baseUrl);
  const { page, context } = tab;
  await signUp(page, stack, newPerson("margaret"));
  const { size } = await stat(clip);

  // A slow uplink, made by the browser's own network stack, so the reload lands mid-body.
  const network = await context.newCDPSession(page);
  await network.send("Network.enable");
  await network.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: Math.ceil(size / 8) });
  await page.goto("/upload");
  await page.getByLabel("Drop video files here, or choose them").setInputFiles(clip);
  await page.waitForFunction(() => (document.querySelector<HTMLProgressElement>("progress")?.value ?? 0) / (document.querySelector<HTMLProgressElement>("progress")?.max ?? 1) > 0.3, undefined, { timeout: 30_000 });
  await page.reload();
  await network.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  const resumedAt: number[] = [];
  page.on("request", (request) => {
    if (request.method() === "PATCH") resumedAt.push(Number(request.headers()["upload-offset"]));
  });
  await page.getByLabel("Drop video files here, or choose them").setInputFiles(clip);
  const item = page.getByRole("list", { name: "Uploads" }).getByRole("listitem");
  await item.getByText(/resumed at/).waitFor();
  await item.locator("[data-status=READY]").waitFor({ timeout: 120_000 });
  assert.ok(resumedAt.length >= 1, "the resumed upload sent the rest");
  assert.ok(resumedAt[0]! > 0 && resumedAt[0]! < size, `the first PATCH after the reload started at ${resumedAt[0]} of ${size}, not at 0`);
  console.log(`upload of ${size} bytes interrupted by a reload resumed at byte ${resumedAt[0]}`);

  // One video, not two: the reload did not start a second upload.
  await page.goto("/library");
  await page.getByRole("listitem").filter({ hasText: "long-clip" }).locator("[data-status=READY]").waitFor();
  assert.equal(await page.locator(".video-row").count(), 1);
});

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
let tab: Tab | undefined;

before(async () => {
  dir = await createTempDir("kino-web-notifications-");
  // One at a time, so whatever started is assigned and closed by after() even when a later step fails.
  browser = await launchChromium();
  stack = await startWebStack({ notify: true });
});
after(async () => {
  if (tab) assert.deepEqual(tab.problems, [], "no script error or CSP refusal");
  await browser?.close();
  await stack?.close();
  await dir?.remove();
});

test("the in-app feed: a READY video puts an unread notification behind the header's badge; marking it read clears the badge; email preferences are kept", async () => {
  tab = await openTab(browser, stack.baseUrl);
  const { page } = tab;
  const ada = newPerson("ada");
  await signUp(page, stack, ada);
  const header = page.getByRole("navigation", { name: "Main" });
  await header.getByRole("link", { name: "Notifications", exact: true }).click();
  await page.getByText("No notifications yet.", { exact: false }).waitFor();
  await checkPage(page, "notifications-empty");

  const clip = await makeClip(join(dir.path, "feed.mp4"), { width: 320, height: 180, seconds: 2 });
  const videoId = await uploadClip(page, clip, "feed.mp4");
  const mail = await stack.accounts.mail.next(ada.email, 30_000);
  assert.match(mail.subject, /ready/i, "the ready email, preferences being on until changed");

  // The badge is checked every 30 s; a reload asks at once.
  const badge = header.locator("[data-unread]");
  const deadline = Date.now() + 45_000;
  // The badge and its query load after the page: give each load a few seconds before asking again.
  while (!(await badge.waitFor({ timeout: 3000 }).then(() => true, () => false))) {
    assert.ok(Date.now() < deadline, "the badge shows the unread notification");
    await page.reload();
  }
  assert.equal(await badge.getAttribute("data-unread"), "1");
  await header.getByRole("link", { name: "Notifications 1 unread" }).click();
  const item = page.getByRole("list", { name: "Your notifications" }).getByRole("listitem");
  await item.getByText("New: Your video is ready to watch.").waitFor();
  assert.equal(await item.getByRole("link", { name: "Open the video" }).getAttribute("href"), `/watch/${videoId}`);
  await page.getByText("1 unread.").waitFor();
  await checkPage(page, "notifications");

  await item.getByRole("button", { name: /^Mark read/ }).click();
  await page.getByText("Nothing unread.").waitFor();
  await badge.waitFor({ state: "detached" });
  assert.equal(await item.getAttribute("data-read"), "yes");
  await page.reload();
  await page.getByText("Nothing unread.").waitFor();

  await page.goto("/settings");
  const preferences = page.getByRole("region", { name: "Email notifications" });
  const ready = preferences.getByLabel("Email me when a video is ready");
  await preferences.getByRole("button", { name: "Save preferences" }).waitFor();
  assert.equal(await ready.isChecked(), true, "everything on until changed");
  await ready.uncheck();
  await preferences.getByRole("button", { name: "Save preferences" }).click();
  await preferences.getByText("Preferences saved.").waitFor();
  await page.reload();
  await preferences.getByRole("button", { name: "Save preferences" }).waitFor();
  await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>("#preferences-title ~ form button")?.disabled);
  assert.equal(await ready.isChecked(), false);
  assert.equal(await preferences.getByLabel("Email me when a video fails, with the reason").isChecked(), true);
});

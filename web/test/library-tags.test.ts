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
let tab: Tab | undefined;

before(async () => {
  dir = await createTempDir("kino-web-tags-");
  // One at a time, so whatever started is assigned and closed by after() even when a later step fails.
  browser = await launchChromium();
  clip = await makeClip(join(dir.path, "trams.mp4"), { width: 320, height: 180, seconds: 2 });
  stack = await startWebStack();
  await stack.catalogAdmin.putCategory({ category: { slug: "travel", name: "Travel" } });
  await stack.catalogAdmin.putCategory({ category: { slug: "music", name: "Music" } });
});
after(async () => {
  if (tab) assert.deepEqual(tab.problems, [], "no script error or CSP refusal");
  await browser?.close();
  await stack?.close();
  await dir?.remove();
});

test("library: edit tags and choose a category from the admins' list; a refused tag is named in the error and nothing changes", async () => {
  tab = await openTab(browser, stack.baseUrl);
  const { page } = tab;
  await signUp(page, stack, newPerson("ada"));
  const videoId = await uploadClip(page, clip, "trams.mp4");
  await page.goto("/library");
  const row = page.locator(`[data-video-id="${videoId}"]`);
  await row.getByText("Ready").waitFor();

  await row.getByRole("button", { name: "Edit trams" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit “trams”" });
  const category = dialog.getByLabel("Category");
  assert.deepEqual(await category.locator("option").allTextContents(), ["None", "Music", "Travel"]);
  await dialog.getByLabel("Tags").fill(`lisbon, ${"x".repeat(41)}`);
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.getByRole("alert").filter({ hasText: `Tag “${"x".repeat(41)}”: ` }).waitFor();
  console.log(`refused tag: ${await dialog.getByRole("alert").textContent()}`);
  await checkPage(page, "library-edit-tags-refused");
  assert.equal(await row.getByRole("list", { name: "Tags" }).count(), 0, "the refused edit changed nothing");

  await dialog.getByLabel("Tags").fill(" Trams ,  Yellow   Cars, trams,, ");
  await category.selectOption({ label: "Travel" });
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.waitFor({ state: "hidden" });
  const tags = row.getByRole("list", { name: "Tags" });
  await tags.waitFor();
  assert.deepEqual(await tags.getByRole("listitem").allTextContents(), ["trams", "yellow cars"], "normalised by the catalog, duplicates dropped");
  await row.getByText("Category: Travel").waitFor();
  await checkPage(page, "library-tags");

  // A reload shows what the catalog stored, and the form starts from it.
  await page.reload();
  await row.getByText("Category: Travel").waitFor();
  await row.getByRole("button", { name: "Edit trams" }).click();
  assert.equal(await dialog.getByLabel("Tags").inputValue(), "trams, yellow cars");
  assert.equal(await dialog.getByLabel("Category").inputValue(), "travel");
  await dialog.getByLabel("Tags").fill("");
  await dialog.getByLabel("Category").selectOption({ label: "None" });
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.waitFor({ state: "hidden" });
  await row.getByRole("list", { name: "Tags" }).waitFor({ state: "detached" });
  assert.equal(await row.getByText("Category:").count(), 0, "tags and category cleared");
});

test("library: captions per language; a malformed SRT is refused naming its line, a good one is listed, replaced and deleted", async () => {
  assert.ok(tab, "the test before signed in and uploaded the clip");
  const { page } = tab;
  await page.goto("/library");
  const row = page.locator("[data-video-id]").filter({ hasText: "trams" });
  await row.getByRole("button", { name: "Edit trams" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit “trams”" });
  const captions = dialog.getByRole("group", { name: "Captions" });
  await captions.getByText("No captions yet.").waitFor();
  const file = (name: string, text: string) => ({ name, mimeType: "application/x-subrip", buffer: Buffer.from(text) });

  await captions.getByLabel("Language (e.g. en, pt-BR)").fill("pt-br");
  await captions.getByLabel("Add or replace captions (WebVTT or SRT)").setInputFiles(file("bad.srt", "1\n00:00:01,000 --> 00:00:02,000\nOlá\n\n2\n00:00:03,5 --> 00:00:04,000\nAdeus\n"));
  const refusal = captions.getByRole("alert");
  await refusal.waitFor();
  assert.match((await refusal.textContent()) ?? "", /^Captions not changed: caption file, line 6: malformed timestamp "00:00:03,5"/);
  await checkPage(page, "library-captions-refused");

  await captions.getByLabel("Name in the player (optional)").fill("Português");
  await captions.getByLabel("Add or replace captions (WebVTT or SRT)").setInputFiles(file("good.srt", "1\n00:00:01,000 --> 00:00:02,000\nOlá\n"));
  const tracks = captions.getByRole("list", { name: "Caption tracks" });
  await tracks.getByText("Português (pt-BR)").waitFor();
  await checkPage(page, "library-captions");
  await captions.getByRole("button", { name: "Delete Português captions" }).click();
  await captions.getByText("No captions yet.").waitFor();
});

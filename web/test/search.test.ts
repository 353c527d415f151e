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
let fado = "";
let adaId = "";

before(async () => {
  dir = await createTempDir("kino-web-search-");
  // One at a time, so whatever started is assigned and closed by after() even when a later step fails.
  browser = await launchChromium();
  stack = await startWebStack({ search: true });
  await stack.catalogAdmin.putCategory({ category: { slug: "travel", name: "Travel" } });
  await stack.catalogAdmin.putCategory({ category: { slug: "music", name: "Music" } });
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

/** The titles listed, reloading until `done` accepts them: the index follows the catalog's events. */
async function resultsUntil(page: Page, list: string, done: (titles: string[]) => boolean): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  let titles: string[] = [];
  for (;;) {
    // The answer is in when the list, the empty state or an error shows.
    await page.locator(`ul[aria-label="${list}"], main .empty, main [role=alert]`).first().waitFor();
    titles = await page.getByRole("list", { name: list }).getByRole("heading").allTextContents().catch(() => []);
    if (done(titles)) return titles;
    if (Date.now() > deadline) {
      console.log(`gave up on ${page.url()}: ${await page.getByRole("main").innerText()}`);
      return titles;
    }
    await page.waitForTimeout(300);
    await page.reload();
  }
}

test("search: the header box, then filters by category, length, upload date, creator and sort, all in the URL", async () => {
  const { page } = await tab();
  await signUp(page, stack, newPerson("ada"));
  const clip = await makeClip(join(dir.path, "tram-ride.mp4"), { width: 320, height: 180, seconds: 2 });
  const song = await makeClip(join(dir.path, "fado.mp4"), { width: 320, height: 180, seconds: 3 });
  tram = await uploadClip(page, clip, "tram-ride.mp4");
  fado = await uploadClip(page, song, "fado.mp4");
  const publish = async (id: string, changes: object) => {
    const answer = await callApi(page, "kino.catalog.v1.CatalogService/UpdateVideo", { id, visibility: "VISIBILITY_PUBLIC", ...changes });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
  };
  await publish(tram, { title: "Tram ride in Lisbon", tags: { tags: ["trams", "yellow"] }, category: "travel", description: "Up the hill to the castle" });
  await publish(fado, { title: "Fado night", category: "music", description: "A song in Alfama" });
  adaId = ((await callApi<{ account: { userId: string } }>(page, "kino.auth.v1.AuthService/GetMe", {})).body.account.userId);

  // Someone else finds them, through the header's search box.
  const visitor = (await tab()).page;
  await signUp(visitor, stack, newPerson("bob"));
  await visitor.getByRole("search", { name: "Site" }).getByLabel("Search videos").fill("tram");
  await visitor.getByRole("search", { name: "Site" }).getByRole("button", { name: "Search" }).click();
  await visitor.waitForURL("**/search?q=tram");
  assert.deepEqual(await resultsUntil(visitor, "Search results", (t) => t.length > 0), ["Tram ride in Lisbon"]);
  const hit = visitor.locator(`[data-video-id="${tram}"]`);
  assert.deepEqual(await hit.getByRole("list", { name: "Tags" }).getByRole("listitem").allTextContents(), ["trams", "yellow"]);
  await hit.getByText("0:02").waitFor();
  await checkPage(visitor, "search");

  await visitor.goto("/search");
  assert.deepEqual((await resultsUntil(visitor, "Search results", (t) => t.length === 2)).sort(), ["Fado night", "Tram ride in Lisbon"]);
  await visitor.getByLabel("Category").selectOption({ label: "Music" });
  await visitor.waitForURL("**/search?category=music");
  assert.deepEqual(await resultsUntil(visitor, "Search results", (t) => t.length === 1), ["Fado night"]);
  await visitor.getByLabel("Category").selectOption({ label: "Any category" });
  await visitor.getByLabel("Length").selectOption({ label: "1 to 20 minutes" });
  await visitor.getByText("No videos match. Try fewer words or filters.").waitFor();
  await checkPage(visitor, "search-empty");
  await visitor.getByLabel("Length").selectOption({ label: "Under 1 minute" });
  await visitor.getByLabel("Uploaded").selectOption({ label: "Last 24 hours" });
  await visitor.getByLabel("Sort by").selectOption({ label: "Newest" });
  await visitor.waitForURL("**/search?duration=short&uploaded=day&sort=newest");
  assert.deepEqual(await resultsUntil(visitor, "Search results", (t) => t.length === 2), ["Fado night", "Tram ride in Lisbon"], "newest first");

  await visitor.getByLabel("Creator id").fill(adaId);
  await visitor.getByRole("main").getByRole("button", { name: "Search" }).click();
  assert.equal((await resultsUntil(visitor, "Search results", (t) => t.length === 2)).length, 2);
  // A reload keeps every filter: they live in the URL.
  await visitor.reload();
  assert.equal(await visitor.getByLabel("Creator id").inputValue(), adaId);
  assert.equal(await visitor.getByLabel("Sort by").inputValue(), "newest");
  await visitor.getByLabel("Creator id").fill("someone-else");
  await visitor.getByRole("main").getByRole("button", { name: "Search" }).click();
  await visitor.getByText("No videos match. Try fewer words or filters.").waitFor();
});

test("a failed search shows the server's reason", async () => {
  const { page } = await tab();
  await page.goto(`/search?q=${"a".repeat(201)}`);
  const alert = page.getByRole("alert").filter({ hasText: /^Search failed: / });
  await alert.waitFor();
  assert.match((await alert.textContent()) ?? "", /200/, "names the limit");
  console.log(`the refused search reads: ${await alert.textContent()}`);
  await checkPage(page, "search-error");
});

test("a creator's channel lists their public videos under their logo, newest first", async () => {
  const { page } = await tab();
  await page.goto(`/channel/${adaId}`);
  await page.getByRole("heading", { name: `Channel ${adaId}`, level: 1 }).waitFor();
  assert.deepEqual(await resultsUntil(page, "Videos of this channel", (t) => t.length === 2), ["Fado night", "Tram ride in Lisbon"]);
  // No avatar uploaded: the placeholder stands in for the logo.
  await page.locator(".channel-head .avatar").waitFor();
  await checkPage(page, "channel");
  await page.getByRole("link", { name: "Search this channel" }).click();
  await page.waitForURL(`**/search?creator=${adaId}`);
  await page.goto("/channel/nobody-here");
  await page.getByText("This channel has no public videos yet.").waitFor();
});

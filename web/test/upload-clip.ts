import assert from "node:assert/strict";
import type { Page } from "playwright-core";

/** Uploads `file` through the upload page as its signed-in user does, waits for READY and answers the video's id. */
export async function uploadClip(page: Page, file: string, name: string): Promise<string> {
  await page.goto("/upload");
  await page.getByLabel("Drop video files here, or choose them").setInputFiles(file);
  const item = page.getByRole("list", { name: "Uploads" }).getByRole("listitem").filter({ hasText: name });
  await item.locator("[data-status=READY]").waitFor({ timeout: 120_000 });
  const href = await item.getByRole("link", { name: /^Watch / }).getAttribute("href");
  const videoId = href?.split("/").pop() ?? "";
  assert.match(videoId, /^[a-z0-9]{20}$/, `a watch link for ${name}`);
  return videoId;
}

import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createTempDir, makeClip, type TempDir } from "@kino/testkit";
import type { Browser, Page } from "playwright-core";
import { checkPage, launchChromium, openTab, type Tab } from "./browser.ts";
import { newPerson, signUp } from "./people.ts";
import { uploadClip } from "./upload-clip.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.ts";
import { startWebStack, type WebStack } from "./web-stack.ts";

let stack: WebStack;
let browser: Browser;
let dir: TempDir;
let receiver: WebhookReceiver;
let tab: Tab | undefined;

before(async () => {
  dir = await createTempDir("kino-web-webhooks-");
  // One at a time, so whatever started is assigned and closed by after() even when a later step fails.
  browser = await launchChromium();
  receiver = await startWebhookReceiver();
  // An endpoint failing for 1.5 s without a success is disabled, so the test sees one disabled and enables it.
  stack = await startWebStack({ notify: { disableAfterMs: 1500 } });
});
after(async () => {
  if (tab) assert.deepEqual(tab.problems, [], "no script error or CSP refusal");
  await browser?.close();
  await stack?.close();
  await receiver?.close();
  await dir?.remove();
});

async function addEndpoint(page: Page, url: string): Promise<void> {
  const form = page.getByRole("region", { name: "Webhooks" });
  await form.getByLabel("Endpoint URL").fill(url);
  await form.getByLabel("video.failed").uncheck();
  await form.getByRole("button", { name: "Add endpoint" }).click();
}

const endpointRow = (page: Page, url: string) => page.getByRole("row").filter({ has: page.getByRole("cell", { name: url, exact: true }) });

test("webhooks: the secret shown once, a refused URL's reason, deliveries in the log, send again, a disabled endpoint enabled, delete with confirmation", async () => {
  tab = await openTab(browser, stack.baseUrl);
  const { page } = tab;
  await signUp(page, stack, newPerson("ada"));
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Webhooks" });
  await section.getByText("You have no webhook endpoints.").waitFor();

  await addEndpoint(page, "ftp://example.com/hook");
  const refusal = section.getByRole("alert").filter({ hasText: /^Endpoint not added: / });
  await refusal.waitFor();
  console.log(`a refused endpoint reads: ${await refusal.textContent()}`);
  assert.match((await refusal.textContent()) ?? "", /http/, "says which schemes are allowed");

  const ok = `${receiver.url}/ok`;
  await addEndpoint(page, ok);
  const secret = section.getByLabel(`Signing secret of ${ok}`);
  const shown = await secret.inputValue();
  assert.match(shown, /^whsec_[A-Za-z0-9_-]{43}$/);
  await endpointRow(page, ok).getByText("Enabled").waitFor();
  await checkPage(page, "settings-webhooks");
  await page.reload();
  await endpointRow(page, ok).getByText("Enabled").waitFor();
  assert.equal(await page.getByText(shown).count(), 0, "the secret is never shown again");
  assert.ok(!(await page.content()).includes(shown));
  await addEndpoint(page, `${receiver.url}/down`);
  await section.getByLabel(`Signing secret of ${receiver.url}/down`).waitFor();

  const clip = await makeClip(join(dir.path, "hooked.mp4"), { width: 320, height: 180, seconds: 2 });
  const videoId = await uploadClip(page, clip, "hooked.mp4");
  const [first] = await receiver.waitFor("/ok", 1);
  assert.equal(first!.body.type, "video.ready");
  assert.equal(first!.body.data["video_id"], videoId);
  assert.match(String(first!.headers["kino-signature"]), /^t=\d+,v1=[0-9a-f]{64}$/);

  await page.goto("/settings");
  await endpointRow(page, ok).getByRole("button", { name: `Deliveries of ${ok}` }).click();
  const log = page.getByRole("region", { name: `Deliveries to ${ok}` });
  const delivery = log.locator(`[data-event-id="${first!.body.id}"]`).first();
  await delivery.locator("[data-delivery-status]").filter({ hasText: "Succeeded" }).waitFor();
  await delivery.getByText(/answered 204/).waitFor();
  await checkPage(page, "settings-webhook-log");
  await delivery.getByRole("button", { name: /^Send again/ }).click();
  const [, again] = await receiver.waitFor("/ok", 2);
  assert.equal(again!.body.id, first!.body.id, "sent again with the same event id, so receivers can drop repeats");
  await page.getByRole("button", { name: "Close the log" }).click();

  // The failing endpoint is disabled by the service; its owner turns it on again.
  const down = `${receiver.url}/down`;
  const deadline = Date.now() + 60_000;
  while (!(await endpointRow(page, down).getByText(/^Disabled: /).isVisible())) {
    assert.ok(Date.now() < deadline, "the failing endpoint was disabled");
    await page.waitForTimeout(500);
    await page.reload();
    await endpointRow(page, down).waitFor();
  }
  await checkPage(page, "settings-webhook-disabled");
  await endpointRow(page, down).getByRole("button", { name: `Enable ${down}` }).click();
  await endpointRow(page, down).getByRole("button", { name: `Enable ${down}` }).waitFor({ state: "detached" });
  assert.doesNotMatch((await endpointRow(page, down).locator("[data-state]").textContent()) ?? "", /^Disabled/);

  await endpointRow(page, down).getByRole("button", { name: `Delete ${down}` }).click();
  const confirm = page.getByRole("dialog", { name: `Delete the endpoint ${down}?` });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await endpointRow(page, down).waitFor();
  await endpointRow(page, down).getByRole("button", { name: `Delete ${down}` }).click();
  await confirm.getByRole("button", { name: "Delete endpoint" }).click();
  await endpointRow(page, down).waitFor({ state: "detached" });
  await endpointRow(page, ok).waitFor();
});

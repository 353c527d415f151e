import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { callApi } from "./api-call.ts";
import { checkPage, launchChromium, openTab, type Tab } from "./browser.ts";
import { newPerson, signInWithPassword, signUp } from "./people.ts";
import { startWebStack, type WebStack } from "./web-stack.ts";

let stack: WebStack;
let browser: Browser;
const tabs: Tab[] = [];

before(async () => {
  // One at a time, so whatever started is assigned and closed by after() even when a later step fails.
  browser = await launchChromium();
  stack = await startWebStack();
});
after(async () => {
  for (const tab of tabs) assert.deepEqual(tab.problems, [], "no script error or CSP refusal in any tab");
  await browser?.close();
  await stack?.close();
});

async function tab(): Promise<Tab> {
  const opened = await openTab(browser, stack.baseUrl);
  tabs.push(opened);
  return opened;
}

test("admin: others get not found and the API refuses them; an admin sets a tier and disables an account, and reads why disabling their own fails", async () => {
  // Made an admin before the gateway first sees the account (it caches accounts for up to a minute).
  const ada = await stack.accounts.createUser("ada");
  await stack.accounts.makeAdmin(ada);
  const { page: other } = await tab();
  const bob = newPerson("bob");
  await signUp(other, stack, bob);

  await other.goto("/admin");
  await other.getByRole("heading", { name: "Not found" }).waitFor();
  assert.equal(await other.getByRole("link", { name: "Admin" }).count(), 0, "no Admin link for a user");
  const refused = await callApi<{ code: string }>(other, "kino.auth.v1.AuthService/ListUsers", {});
  assert.equal(refused.status, 403);
  assert.equal(refused.body.code, "permission_denied");
  await checkPage(other, "admin-not-found");

  const { page: boss } = await tab();
  await boss.goto("/sign-in");
  await signInWithPassword(boss, { ...ada, name: "ada" });
  await boss.waitForURL("**/library");
  await boss.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await boss.getByRole("heading", { name: "Admin: users and tiers" }).waitFor();
  const bobRow = boss.getByRole("row").filter({ hasText: bob.email });
  await bobRow.getByText("Active").waitFor();
  await boss.getByRole("row").filter({ hasText: ada.email }).getByText("Admin", { exact: true }).waitFor();
  await checkPage(boss, "admin");

  await bobRow.getByLabel(`Tier of ${bob.email}`).selectOption("pro");
  await boss.waitForFunction((email) => [...document.querySelectorAll("tr")].find((r) => r.textContent?.includes(email))?.querySelector("select")?.disabled === false, bob.email);
  await boss.reload();
  assert.equal(await bobRow.getByLabel(`Tier of ${bob.email}`).inputValue(), "pro", "the tier is stored");

  await bobRow.getByRole("button", { name: `Disable ${bob.email}` }).click();
  await bobRow.locator("[data-state]").filter({ hasText: "Disabled" }).waitFor();
  // A disabled account cannot sign in.
  await other.getByRole("button", { name: "Sign out" }).click();
  await other.waitForURL("**/sign-in");
  await signInWithPassword(other, bob);
  await other.getByRole("alert").waitFor();
  console.log(`a disabled account signing in reads: ${await other.getByRole("alert").textContent()}`);
  await bobRow.getByRole("button", { name: `Enable ${bob.email}` }).click();
  await bobRow.locator("[data-state]").filter({ hasText: "Active" }).waitFor();

  const adaRow = boss.getByRole("row").filter({ hasText: ada.email });
  await adaRow.getByRole("button", { name: `Disable ${ada.email}` }).click();
  const reason = adaRow.getByRole("alert");
  await reason.waitFor();
  console.log(`disabling one's own account reads: ${await reason.textContent()}`);
  assert.match((await reason.textContent()) ?? "", /own/);
  await adaRow.locator("[data-state]").filter({ hasText: "Active" }).waitFor();
  await checkPage(boss, "admin-error");
});

test("admin: categories added, refused with the server's reason, renamed and removed", async () => {
  const boss = tabs[1]!.page;
  await boss.goto("/admin");
  const section = boss.getByRole("region", { name: "Categories" });
  await section.getByText("No categories yet.").waitFor();
  await section.getByLabel("Slug").fill("Bad Slug");
  await section.getByLabel("Name").fill("Bad");
  await section.getByRole("button", { name: "Save category" }).click();
  const refusal = section.getByRole("alert").filter({ hasText: /^Category not saved: / });
  await refusal.waitFor();
  console.log(`a refused category reads: ${await refusal.textContent()}`);
  await section.getByLabel("Slug").fill("travel");
  await section.getByLabel("Name").fill("Travel");
  await section.getByRole("button", { name: "Save category" }).click();
  const list = section.getByRole("list", { name: "Categories" });
  await list.getByRole("button", { name: "Remove Travel" }).waitFor();
  await section.getByLabel("Slug").fill("travel");
  await section.getByLabel("Name").fill("Travel and places");
  await section.getByRole("button", { name: "Save category" }).click();
  await list.getByRole("button", { name: "Remove Travel and places" }).waitFor();
  assert.equal(await list.getByRole("listitem").count(), 1, "the same slug is renamed, not added twice");
  await checkPage(boss, "admin-categories");
  await list.getByRole("button", { name: "Remove Travel and places" }).click();
  await section.getByText("No categories yet.").waitFor();
});

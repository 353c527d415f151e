import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { checkPage, launchChromium, openTab, type Tab } from "./browser.ts";
import { mailedCode, newPerson, signInWithPassword, signUp } from "./people.ts";
import { startWebStack, type WebStack } from "./web-stack.ts";

let stack: WebStack;
let browser: Browser;
const tabs: Tab[] = [];

before(async () => {
  // One at a time, so whatever started is assigned and closed by after() even when a later step fails.
  browser = await launchChromium();
  stack = await startWebStack({ notify: true });
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

const cookieNames = async (t: Tab) => (await t.context.cookies()).map((c) => `${c.name}${c.httpOnly ? " (HttpOnly)" : ""}`).sort();

test("sign up with the emailed code, sign out, sign in with the password and with a code; no secret in script-visible storage", async () => {
  const { page, context } = await tab();
  await page.goto("/library");
  await page.waitForURL("**/sign-in?next=%2Flibrary");
  await checkPage(page, "sign-in");
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByRole("heading", { name: "Create an account" }).waitFor();
  await checkPage(page, "sign-up");

  const ada = newPerson("ada");
  await signUp(page, stack, ada);
  await page.getByText("You have no videos yet.").waitFor();
  await checkPage(page, "library-empty");
  assert.deepEqual(await cookieNames({ page, context, problems: [] }), ["kino_csrf", "kino_refresh (HttpOnly)", "kino_session (HttpOnly)"]);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
  assert.doesNotMatch(stored, /kino_session|kino_refresh|eyJ/, "no token where script can read it");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in");
  assert.deepEqual(await cookieNames({ page, context, problems: [] }), [], "signing out clears the cookies");
  await signInWithPassword(page, { ...ada, password: "not the password" });
  await page.getByRole("alert").filter({ hasText: "email or password is wrong" }).waitFor();
  await signInWithPassword(page, ada);
  await page.waitForURL("**/library");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in");
  await page.getByRole("button", { name: "Emailed code" }).click();
  await page.getByLabel("Email").fill(ada.email);
  await page.getByRole("button", { name: "Email me a code" }).click();
  await page.getByLabel("Code from the email").fill(await mailedCode(stack, ada.email));
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/library");
});

test("a stale access cookie is refreshed unseen; an expired session goes to sign-in and comes back", async () => {
  const { page, context } = await tab();
  const grace = newPerson("grace");
  await signUp(page, stack, grace);

  // The access cookie's Max-Age is the token's lifetime: the browser drops it when it expires.
  await context.clearCookies({ name: "kino_session" });
  await page.goto("/settings");
  await page.getByRole("heading", { name: "Settings" }).waitFor();
  await page.getByText(grace.email).waitFor();
  assert.ok((await context.cookies()).some((c) => c.name === "kino_session"), "Refresh set a new access cookie");

  // Now the whole session has expired: the refresh cookie is gone too.
  await context.clearCookies({ name: "kino_session" });
  await context.clearCookies({ name: "kino_refresh" });
  await page.goto("/settings");
  await page.waitForURL("**/sign-in?next=%2Fsettings");
  await signInWithPassword(page, grace);
  await page.waitForURL("**/settings");
  await page.getByText(grace.email).waitFor();
});

test("reset the password with the emailed code, then the new one signs in and the old one does not", async () => {
  const { page } = await tab();
  const linus = newPerson("linus");
  await signUp(page, stack, linus);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("Email").fill(linus.email);
  await page.getByRole("button", { name: "Email me a code" }).click();
  await page.getByLabel("Code from the email").fill(await mailedCode(stack, linus.email));
  await page.getByLabel("New password").fill("short");
  await checkPage(page, "reset-password");
  await page.getByLabel("New password").fill(`${linus.password}-renewed`);
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await page.waitForURL("**/library");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in");
  await signInWithPassword(page, linus);
  await page.getByRole("alert").filter({ hasText: "email or password is wrong" }).waitFor();
  await signInWithPassword(page, { ...linus, password: `${linus.password}-renewed` });
  await page.waitForURL("**/library");
});

test("settings: display name, avatar, sessions and API keys (the secret shown once)", async () => {
  const { page } = await tab();
  const katherine = newPerson("katherine");
  await signUp(page, stack, katherine);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("heading", { name: "Settings" }).waitFor();

  await page.getByLabel("Display name").fill("Katherine J.");
  await page.getByRole("button", { name: "Save profile" }).click();
  await page.getByText("Saved.").waitFor();

  // A real PNG, made by the browser itself.
  const png = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(64, 64);
    const context = canvas.getContext("2d")!;
    context.fillStyle = "#c026d3";
    context.fillRect(0, 0, 64, 64);
    return Array.from(new Uint8Array(await (await canvas.convertToBlob({ type: "image/png" })).arrayBuffer()));
  });
  await page.getByLabel("Upload a new avatar").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: Buffer.from(png) });
  await page.waitForFunction(() => {
    const image = document.querySelector<HTMLImageElement>("img.avatar");
    return Boolean(image && image.complete && image.naturalWidth === 256);
  });
  await page.getByLabel("Upload a new avatar").setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("just text") });
  await page.getByRole("alert").filter({ hasText: "Avatar not saved:" }).waitFor();

  const sessions = page.locator("section", { has: page.getByRole("heading", { name: "Signed-in sessions" }) });
  await sessions.getByRole("cell", { name: /Kino web app, Chrome on Linux/ }).first().waitFor();

  await page.getByLabel("Key name").fill("build server");
  await page.getByRole("checkbox", { name: "videos:write" }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByLabel(/Secret of/).inputValue();
  assert.match(secret, /^kino_[0-9a-z]{8}_[A-Za-z0-9_-]{43}$/);
  const row = page.getByRole("row", { name: /build server/ });
  await row.getByText("videos:read, videos:write").waitFor();
  await checkPage(page, "settings");
  const check = await fetch(`${stack.baseUrl}/kino.auth.v1.AuthService/GetMe`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${secret}` }, body: "{}" });
  assert.notEqual(check.status, 401, "the key authenticates (managing keys needs a person, so any other refusal is fine)");

  await row.getByRole("button", { name: "Revoke build server" }).click();
  await row.getByText("Revoked").waitFor();
  await page.reload();
  await page.getByRole("heading", { name: "Settings" }).waitFor();
  assert.equal(await page.getByLabel(/Secret of/).count(), 0, "the secret is never shown again");
});

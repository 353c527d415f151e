import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { WebStack } from "./web-stack.ts";

export interface Person {
  email: string;
  password: string;
  name: string;
}

let serial = 0;

export function newPerson(name: string): Person {
  serial += 1;
  return { name, email: `${name}.${process.pid}.${serial}@example.com`, password: `${name}-long-password-${serial}` };
}

/** The 6-digit code of the newest unread mail to `email`. */
export async function mailedCode(stack: WebStack, email: string): Promise<string> {
  const mail = await stack.accounts.mail.next(email, 10_000);
  const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
  assert.ok(code, `a code in the mail to ${email}`);
  return code;
}

/** Sign-up as a person does it: the form, the mailed code, and in. */
export async function signUp(page: Page, stack: WebStack, person: Person): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Display name").fill(person.name);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByLabel("Code from the email").fill(await mailedCode(stack, person.email));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await page.waitForURL("**/library");
  await page.getByRole("heading", { name: "Your videos" }).waitFor();
}

export async function signInWithPassword(page: Page, person: Person): Promise<void> {
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

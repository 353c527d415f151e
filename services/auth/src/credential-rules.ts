import { KinoError, checkText, type TextRule } from "@kino/platform";

export const minPasswordLength = 10;
export const maxPasswordLength = 256;

const displayNameRule: TextRule = { field: "display_name", maxLength: 100, required: true, kind: "line" };

/** NFC, so the same password typed on two systems hashes the same. */
function normalisePassword(raw: string): string {
  return raw.normalize("NFC");
}

/** A new password as it will be hashed, or invalid_argument naming the rule (never the password). */
export function validateNewPassword(raw: string): string {
  const password = normalisePassword(raw);
  const length = [...password].length;
  if (length < minPasswordLength || length > maxPasswordLength) {
    throw new KinoError("invalid_argument", `password must be ${minPasswordLength} to ${maxPasswordLength} characters, got ${length}`);
  }
  return password;
}

/**
 * A password presented at sign-in, only to compare: no rules (they may have
 * changed since it was set), but bounded so a huge one costs nothing.
 */
export function presentedPassword(raw: string): string | undefined {
  const password = normalisePassword(raw);
  return password === "" || [...password].length > maxPasswordLength ? undefined : password;
}

export function validateDisplayName(raw: string): string {
  return checkText(raw, displayNameRule);
}

/** Six digits, or undefined: a malformed code is answered like a wrong one. */
export function presentedCode(raw: string): string | undefined {
  const code = raw.trim();
  return /^\d{6}$/.test(code) ? code : undefined;
}

const clientDescriptionRule: TextRule = { field: "client_description", maxLength: 200, kind: "line" };

/** What a client says it is at sign-in ("Firefox on Linux"); optional, shown by ListSessions. */
export function validateClientDescription(raw: string): string {
  return checkText(raw, clientDescriptionRule);
}

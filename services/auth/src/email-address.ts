import { domainToASCII } from "node:url";
import { KinoError } from "@kino/platform";

const maxEmailLength = 254;
// RFC 5322 dot-atom characters: no spaces, quotes, brackets or line breaks,
// so an address can never break out of a mail header.
const localPartPattern = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const labelPattern = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

const invalid = () => new KinoError("invalid_argument", "email must be an address like name@example.com");

/**
 * The address as Kino stores and sends to it: trimmed, the domain
 * lower-cased and in ASCII (punycode). The local part keeps its case, as
 * mail servers may honour it. Never echoed in errors.
 */
export function normaliseEmail(raw: string): string {
  const value = raw.trim();
  if (value === "") throw new KinoError("invalid_argument", "email is required");
  if (value.length > maxEmailLength) throw new KinoError("invalid_argument", `email must be at most ${maxEmailLength} characters`);
  const at = value.lastIndexOf("@");
  if (at < 1) throw invalid();
  const local = value.slice(0, at);
  const domain = domainToASCII(value.slice(at + 1));
  if (local.length > 64 || !localPartPattern.test(local)) throw invalid();
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((label) => labelPattern.test(label))) throw invalid();
  const email = `${local}@${domain}`;
  if (email.length > maxEmailLength) throw invalid();
  return email;
}

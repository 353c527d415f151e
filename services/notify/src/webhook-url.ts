import { KinoError } from "@kino/platform";
import type { AddressGuard } from "./host-resolver.ts";

export const maxUrlLength = 2048;

/**
 * A URL an endpoint may have: http(s), no credentials, and a host that is
 * public (checked again at every delivery, since DNS can change its mind).
 * Returns it normalised.
 */
export async function checkWebhookUrl(raw: string, guard: AddressGuard): Promise<string> {
  if (raw.length === 0) throw new KinoError("invalid_argument", "url is required");
  if (raw.length > maxUrlLength) throw new KinoError("invalid_argument", `url is ${raw.length} characters, at most ${maxUrlLength}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KinoError("invalid_argument", "url is not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new KinoError("invalid_argument", "url must be http:// or https://");
  if (url.username !== "" || url.password !== "") throw new KinoError("invalid_argument", "url must not hold a user or password");
  if (url.hostname === "") throw new KinoError("invalid_argument", "url has no host");
  url.hash = "";
  await guard.resolve(url.hostname);
  const normalised = url.toString();
  if (normalised.length > maxUrlLength) throw new KinoError("invalid_argument", `url is over ${maxUrlLength} characters once normalised`);
  return normalised;
}

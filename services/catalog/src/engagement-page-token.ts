import { KinoError } from "@kino/platform";

/**
 * Page tokens of the engagement listings: the key of the last item shown
 * and the listing it belongs to (which video, playlist, thread or user), so
 * a token passed to another listing is refused instead of skipping rows.
 */
export function encodeCursor(listing: string, after: readonly string[]): string {
  return Buffer.from(JSON.stringify({ v: 1, l: listing, a: after })).toString("base64url");
}

/** The key a token carries, or undefined for the first page. */
export function decodeCursor(token: string, listing: string, keys: readonly RegExp[]): string[] | undefined {
  if (token === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  const { v, l, a } = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const wellFormed = v === 1 && typeof l === "string" && Array.isArray(a) && a.length === keys.length && a.every((key, i) => typeof key === "string" && keys[i]!.test(key));
  if (!wellFormed) throw new KinoError("invalid_argument", "page_token is malformed: pass next_page_token unchanged");
  if (l !== listing) throw new KinoError("invalid_argument", "page_token was issued for a different listing");
  return a as string[];
}

/** A bigint sequence or position, as PostgreSQL keeps them. */
export const sequenceKey = /^\d{1,18}$/;

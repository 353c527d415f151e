import { KinoError } from "@kino/platform";

export const defaultPageSize = 50;
export const maxPageSize = 200;

/** page_size as asked: 0 means the default; beyond the bounds is invalid_argument. */
export function pageSizeOf(requested: number): number {
  if (requested === 0) return defaultPageSize;
  if (!Number.isInteger(requested) || requested < 1 || requested > maxPageSize) {
    throw new KinoError("invalid_argument", `page_size must be 1 to ${maxPageSize} (0 for ${defaultPageSize}), got ${requested}`);
  }
  return requested;
}

/** Opaque to clients: base64url JSON of where the page ended. */
export function encodePageToken(position: Record<string, string>): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/** The position a token names, with every field a string; invalid_argument for anything else. */
export function decodePageToken<K extends string>(token: string, fields: readonly K[]): Record<K, string> | undefined {
  if (token === "") return undefined;
  const invalid = () => new KinoError("invalid_argument", "page_token is not one this service issued");
  if (token.length > 1024) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== "object" || parsed === null) throw invalid();
  const position = parsed as Record<string, unknown>;
  for (const field of fields) if (typeof position[field] !== "string") throw invalid();
  return position as Record<K, string>;
}

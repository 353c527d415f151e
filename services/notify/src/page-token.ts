import { KinoError } from "@kino/platform";

// seq is a PostgreSQL bigint: anything past its range is not a position in a list.
const maxSequence = 2n ** 63n - 1n;

/**
 * A page token pins where the next page starts (the seq of the last row
 * shown) and which list it was made for, so it cannot be replayed on
 * another endpoint's log or another filter.
 */
export function encodePageToken(afterSeq: string, list: string): string {
  return Buffer.from(JSON.stringify({ v: 1, s: afterSeq, l: list })).toString("base64url");
}

export function decodePageToken(token: string, list: string): string | undefined {
  if (token === "") return undefined;
  const malformed = () => new KinoError("invalid_argument", "page_token is malformed: pass next_page_token unchanged, with the same request");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw malformed();
  }
  const { v, s, l } = (parsed ?? {}) as Record<string, unknown>;
  if (v !== 1 || typeof s !== "string" || !/^\d{1,19}$/.test(s) || BigInt(s) > maxSequence || l !== list) throw malformed();
  return s;
}

/** 1 to 100; 0 means 20. */
export function pageSizeOf(requested: number): number {
  if (requested === 0) return 20;
  if (requested < 0 || requested > 100) throw new KinoError("invalid_argument", "page_size must be between 1 and 100 (0 means 20)");
  return requested;
}

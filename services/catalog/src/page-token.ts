import { KinoError } from "@kino/platform";

/** What a page token pins: where the next page starts and the filters it was made for. */
export interface PageCursor {
  /** seq of the last video on the previous page. */
  afterSeq: string;
  ownerId: string;
  status: string;
}

// seq is a PostgreSQL bigint: anything past its range is not a position in the list.
const maxSequence = 2n ** 63n - 1n;

function isSequence(value: string): boolean {
  return /^\d{1,19}$/.test(value) && BigInt(value) <= maxSequence;
}

export function encodePageToken(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, s: cursor.afterSeq, o: cursor.ownerId, st: cursor.status })).toString(
    "base64url",
  );
}

export function decodePageToken(token: string): PageCursor {
  const malformed = () => new KinoError("invalid_argument", "page_token is malformed: pass next_page_token unchanged");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch (error) {
    throw new KinoError("invalid_argument", malformed().message, { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null) throw malformed();
  const { v, s, o, st } = parsed as Record<string, unknown>;
  if (v !== 1 || typeof s !== "string" || !isSequence(s) || typeof o !== "string" || typeof st !== "string") {
    throw malformed();
  }
  return { afterSeq: s, ownerId: o, status: st };
}

import { createHash } from "node:crypto";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceHandlers } from "@kino/grpc";
import { KinoError, checkText, isOwnerId, ownerIdShape } from "@kino/platform";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { SearchSort, SearchVideosResponseSchema, type SearchService, type SearchVideosRequest, type SearchVideosResponse } from "@kino/proto/search/v1";
import { parseQuery } from "./query-words.ts";
import type { Codec, ResultCache } from "./result-cache.ts";
import type { SearchEngine, SearchQuery } from "./search-engine.ts";

const maxOffset = 1000;

export function pageSizeOf(raw: number): number {
  if (raw === 0) return 20;
  if (raw < 1 || raw > 50) throw new KinoError("invalid_argument", `page_size must be between 1 and 50, got ${raw}`);
  return raw;
}

/** A page token names the offset and the request it belongs to (a hash), so it cannot be replayed on other filters. */
function requestFingerprint(request: SearchVideosRequest, viewerId: string | undefined): string {
  const { pageToken: _, pageSize: __, ...filters } = request;
  return createHash("sha256")
    .update(JSON.stringify({ ...filters, viewerId, createdAfter: filters.createdAfter?.seconds.toString(), createdBefore: filters.createdBefore?.seconds.toString(), $typeName: undefined }))
    .digest("base64url")
    .slice(0, 16);
}

function decodePageToken(token: string, fingerprint: string): { offset: number; lenient: boolean } {
  if (token === "") return { offset: 0, lenient: false };
  try {
    const { o, f, l } = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o: unknown; f: unknown; l: unknown };
    if (f === fingerprint && typeof o === "number" && Number.isInteger(o) && o > 0 && o <= maxOffset) return { offset: o, lenient: l === 1 };
  } catch {
    // Refused below.
  }
  throw new KinoError("invalid_argument", "page_token was not issued for this query and these filters");
}

const encodePageToken = (offset: number, fingerprint: string, lenient: boolean) =>
  Buffer.from(JSON.stringify({ o: offset, f: fingerprint, l: lenient ? 1 : 0 })).toString("base64url");

function queryOf(request: SearchVideosRequest, viewerId: string | undefined, offset: number, limit: number): SearchQuery {
  const text = checkText(request.query, { field: "query", maxLength: 200, kind: "line" });
  if (request.ownerId !== "" && !isOwnerId(request.ownerId)) throw new KinoError("invalid_argument", `owner_id must be ${ownerIdShape}`);
  if (request.minDurationSeconds < 0 || request.maxDurationSeconds < 0) throw new KinoError("invalid_argument", "durations must not be negative");
  if (![SearchSort.UNSPECIFIED, SearchSort.RELEVANCE, SearchSort.NEWEST, SearchSort.MOST_VIEWED].includes(request.sort)) {
    throw new KinoError("invalid_argument", `sort ${request.sort} is not a known sort`);
  }
  const sort =
    request.sort === SearchSort.MOST_VIEWED
      ? "most_viewed"
      : request.sort === SearchSort.NEWEST || (request.sort === SearchSort.UNSPECIFIED && text === "")
        ? "newest"
        : "relevance";
  return {
    text,
    viewerId,
    category: checkText(request.category, { field: "category", maxLength: 40, kind: "line" }),
    ownerId: request.ownerId,
    tag: checkText(request.tag, { field: "tag", maxLength: 40, kind: "line" }).toLowerCase(),
    minDurationSeconds: request.minDurationSeconds,
    maxDurationSeconds: request.maxDurationSeconds,
    createdAfter: request.createdAfter ? timestampDate(request.createdAfter) : undefined,
    createdBefore: request.createdBefore ? timestampDate(request.createdBefore) : undefined,
    sort,
    offset,
    limit,
  };
}

// Lenient matching is for a few typed words, where a typo loses everything; long queries stay exact.
function lenientWorthTrying(text: string): boolean {
  const parsed = parseQuery(text);
  return parsed.kind === "words" && parsed.words.length <= 2 && text.length <= 30;
}

const responseCodec: Codec<SearchVideosResponse> = {
  encode: (value) => toBinary(SearchVideosResponseSchema, value),
  decode: (bytes) => fromBinary(SearchVideosResponseSchema, bytes),
};

/**
 * Listings without words (everyone's front page) are always cached; a
 * query with words once it is asked often (the same words by anyone, in any
 * case). Each answer is cached for the caller it was computed for.
 */
export function searchHandlers(engine: SearchEngine, cache: ResultCache): Pick<ServiceHandlers<typeof SearchService>, "searchVideos"> {
  async function answer(request: SearchVideosRequest, viewerId: string | undefined, fingerprint: string) {
    const limit = pageSizeOf(request.pageSize);
    const page = decodePageToken(request.pageToken, fingerprint);
    const query = queryOf(request, viewerId, page.offset, limit + 1);
    let rows = page.lenient ? [] : await engine.search(query);
    let lenient = page.lenient;
    if (page.lenient || (rows.length === 0 && page.offset === 0 && lenientWorthTrying(query.text))) {
      rows = await engine.searchLeniently(query);
      lenient = true;
    }
    const hits = rows.slice(0, limit).map((row) => ({ ...row, createTime: timestampFromDate(row.createdAt) }));
    const next = page.offset + limit;
    return create(SearchVideosResponseSchema, {
      hits,
      approximate: lenient,
      nextPageToken: rows.length > limit && next <= maxOffset ? encodePageToken(next, fingerprint, lenient) : "",
    });
  }

  return {
    async searchVideos(request, context) {
      const fingerprint = requestFingerprint(request, context.callerId);
      const words = parseQuery(request.query);
      const policy = words.kind === "all" ? ({ always: true } as const) : { countAs: request.query.normalize("NFC").trim().toLowerCase() };
      const key = `videos:${fingerprint}:${request.pageSize}:${request.pageToken}`;
      return cache.through(key, policy, responseCodec, () => answer(request, context.callerId, fingerprint));
    },
  };
}

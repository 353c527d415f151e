import { useInfiniteQuery } from "@connectrpc/connect-query";
import { SearchService, type SearchVideosRequestSchema } from "@kino/proto/search/v1";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { ErrorText } from "../../ui/error-text.tsx";
import { SearchHitCard } from "./search-hit-card.tsx";

/** SearchVideos' pages for one request, with "Show more" and the empty and error states. */
export function SearchResults({ request, label, empty, showCreator }: { request: MessageInitShape<typeof SearchVideosRequestSchema> & { pageToken: string }; label: string; empty: string; showCreator?: boolean }) {
  const results = useInfiniteQuery(SearchService.method.searchVideos, request, {
    pageParamKey: "pageToken",
    getNextPageParam: (page) => page.nextPageToken || undefined,
    retry: false,
  });
  const hits = results.data?.pages.flatMap((page) => page.hits) ?? [];
  return (
    <>
      <ErrorText error={results.error} prefix="Search failed" />
      {results.isPending ? <p aria-live="polite">Searching…</p> : null}
      {results.data?.pages[0]?.approximate ? <p className="meta">Nothing matched exactly; these are close matches.</p> : null}
      {results.isSuccess && hits.length === 0 ? <p className="empty">{empty}</p> : null}
      {hits.length > 0 ? (
        <ul className="video-list" aria-label={label}>
          {hits.map((hit) => (
            <SearchHitCard key={hit.videoId} hit={hit} showCreator={showCreator} />
          ))}
        </ul>
      ) : null}
      {results.hasNextPage ? (
        <button type="button" onClick={() => void results.fetchNextPage()} disabled={results.isFetchingNextPage}>
          {results.isFetchingNextPage ? "Loading…" : "Show more"}
        </button>
      ) : null}
    </>
  );
}

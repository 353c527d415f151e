import { useQuery } from "@connectrpc/connect-query";
import { SearchService } from "@kino/proto/search/v1";
import { ErrorText } from "../../ui/error-text.tsx";
import { SearchHitCard } from "../search/search-hit-card.tsx";

/** Videos watched by the same viewers, then ones sharing tags or category (the search service decides). */
export function RelatedVideos({ videoId }: { videoId: string }) {
  const related = useQuery(SearchService.method.listRelatedVideos, { videoId, pageSize: 8 }, { retry: false });
  if (related.error) return <ErrorText error={related.error} prefix="Could not load related videos" />;
  if (!related.data || related.data.hits.length === 0) return null;
  return (
    <section aria-labelledby="related-title" className="related">
      <h2 id="related-title">Related videos</h2>
      <ul className="video-list" aria-label="Related videos">
        {related.data.hits.map((hit) => (
          <SearchHitCard key={hit.videoId} hit={hit} />
        ))}
      </ul>
    </section>
  );
}

import { useInfiniteQuery } from "@connectrpc/connect-query";
import type { Account } from "@kino/proto/auth/v1";
import { CatalogService } from "@kino/proto/catalog/v1";
import { Link } from "../../router/link.tsx";
import { ErrorText } from "../../ui/error-text.tsx";
import { Page } from "../../ui/page.tsx";
import { VideoRow } from "./video-row.tsx";

export function LibraryPage({ account }: { account: Account }) {
  const list = useInfiniteQuery(
    CatalogService.method.listVideos,
    { ownerId: account.userId, pageSize: 20, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (page) => page.nextPageToken || undefined },
  );
  const videos = list.data?.pages.flatMap((page) => page.videos) ?? [];
  return (
    <Page title="Your videos" actions={<Link to="/upload" className="button">Upload videos</Link>}>
      <ErrorText error={list.error} prefix="Could not list your videos" />
      {list.isPending ? <p aria-live="polite">Loading your videos…</p> : null}
      {list.isSuccess && videos.length === 0 ? (
        <p className="empty">
          You have no videos yet. <Link to="/upload">Upload your first one</Link>.
        </p>
      ) : null}
      {videos.length > 0 ? (
        <ul className="video-list" aria-label="Your videos">
          {videos.map((video) => (
            <VideoRow key={video.id} video={video} />
          ))}
        </ul>
      ) : null}
      {list.hasNextPage ? (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? "Loading…" : "Show more"}
        </button>
      ) : null}
    </Page>
  );
}

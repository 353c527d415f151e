import { useMutation, useQuery } from "@connectrpc/connect-query";
import { EngagementService } from "@kino/proto/catalog/v1";
import { ErrorText } from "../../ui/error-text.tsx";

/** The like count and, for a signed-in viewer, a toggle (aria-pressed) to like or take it back. */
export function LikeButton({ videoId, signedIn }: { videoId: string; signedIn: boolean }) {
  const engagement = useQuery(EngagementService.method.getVideoEngagement, { videoId });
  const like = useMutation(EngagementService.method.likeVideo, { onSuccess: () => engagement.refetch() });
  const unlike = useMutation(EngagementService.method.unlikeVideo, { onSuccess: () => engagement.refetch() });
  const data = engagement.data;
  const count = String(data?.likeCount ?? 0n);
  const busy = like.isPending || unlike.isPending || engagement.isFetching;
  return (
    <div className="likes">
      {signedIn ? (
        <button type="button" className="secondary" aria-pressed={data?.liked ?? false} disabled={!data || busy} onClick={() => (data?.liked ? unlike : like).mutate({ videoId })}>
          {data?.liked ? "Liked" : "Like"} <span data-likes>{count}</span>
          <span className="visually-hidden"> likes</span>
        </button>
      ) : (
        <p className="meta">
          <span data-likes>{count}</span> likes
        </p>
      )}
      <ErrorText error={engagement.error ?? like.error ?? unlike.error} prefix="Likes" />
    </div>
  );
}

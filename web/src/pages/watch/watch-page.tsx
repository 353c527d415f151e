import { Code } from "@connectrpc/connect";
import { useQuery } from "@connectrpc/connect-query";
import { CatalogService } from "@kino/proto/catalog/v1";
import { PlaybackService } from "@kino/proto/playback/v1";
import { lazy, Suspense, useState } from "react";
import { hasCode } from "../../api/errors.ts";
import { ErrorText } from "../../ui/error-text.tsx";
import { Page } from "../../ui/page.tsx";
import { VideoStatusBadge } from "../../ui/video-status.tsx";
import { NotFoundPage } from "../not-found-page.tsx";
import { Player } from "./player.tsx";

// Likes, comments, captions, related videos and resume load after the player, so they never delay the first frame.
const WatchExtras = lazy(() => import("./watch-extras.tsx"));

/** /watch/<id>: anyone the catalog lets see the video; to anyone else it does not exist. */
export default function WatchPage({ videoId }: { videoId: string }) {
  const video = useQuery(CatalogService.method.getVideo, { id: videoId }, { retry: false });
  // Asked for at once, not after GetVideo: the playlist URL is what the first frame waits for.
  const playback = useQuery(PlaybackService.method.getPlaybackInfo, { videoId }, { retry: false, staleTime: 30 * 60_000 });
  const [element, setElement] = useState<HTMLVideoElement>();
  const missing = [video.error, playback.error].some((error) => hasCode(error, Code.NotFound) || hasCode(error, Code.InvalidArgument));
  if (missing) return <NotFoundPage what="video" />;
  const title = video.data?.video?.title ?? "Video";

  return (
    <Page title={title}>
      {playback.data ? <Player videoId={videoId} hlsUrl={playback.data.hlsUrl} posterUrl={playback.data.posterUrl} title={title} onElement={setElement} /> : null}
      {hasCode(playback.error, Code.FailedPrecondition) && video.data?.video ? (
        <p>
          Not playable yet: <VideoStatusBadge video={video.data.video} />
        </p>
      ) : (
        <ErrorText error={playback.error} prefix="Cannot play this video" />
      )}
      <ErrorText error={video.error} prefix="Could not load the video" />
      {video.data?.video?.description ? <p className="description">{video.data.video.description}</p> : null}
      {video.data?.video ? (
        <Suspense fallback={null}>
          <WatchExtras videoId={videoId} ownerId={video.data.video.ownerId} hlsUrl={playback.data?.hlsUrl} element={element} />
        </Suspense>
      ) : null}
    </Page>
  );
}

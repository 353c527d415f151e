import { useSession } from "../../session/session.tsx";
import { useCaptionTracks } from "./caption-tracks.ts";
import { Comments } from "./comments.tsx";
import { LikeButton } from "./like-button.tsx";
import { RelatedVideos } from "./related-videos.tsx";
import { useResumePosition } from "./resume-position.ts";

/**
 * What the watch page shows besides the player: likes, resume, captions,
 * comments and related videos. A chunk of its own, loaded after the player, so it
 * never delays the first frame.
 */
export default function WatchExtras({ videoId, ownerId, hlsUrl, element }: { videoId: string; ownerId: string; hlsUrl: string | undefined; element: HTMLVideoElement | undefined }) {
  const session = useSession();
  const viewerId = session.account?.userId;
  const resumed = useResumePosition(videoId, element, viewerId !== undefined);
  useCaptionTracks(videoId, hlsUrl ?? "", hlsUrl ? element : undefined);
  return (
    <>
      <div className="player-bar">
        <LikeButton videoId={videoId} signedIn={viewerId !== undefined} />
        {resumed ? <p role="status">{resumed}</p> : null}
      </div>
      <Comments videoId={videoId} ownerId={ownerId} viewerId={viewerId} />
      <RelatedVideos videoId={videoId} />
    </>
  );
}

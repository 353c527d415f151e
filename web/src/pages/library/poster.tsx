import { useQuery } from "@connectrpc/connect-query";
import { Visibility, VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { PlaybackService } from "@kino/proto/playback/v1";

/** A READY video's poster: a public one from its plain path, others from the signed URL GetPlaybackInfo gives. */
export function Poster({ video }: { video: Video }) {
  const ready = video.status === VideoStatus.READY && video.posterPath !== "";
  const plain = ready && video.visibility === Visibility.PUBLIC;
  const signed = useQuery(PlaybackService.method.getPlaybackInfo, { videoId: video.id }, { enabled: ready && !plain, staleTime: 60 * 60_000 });
  const src = plain ? video.posterPath : signed.data?.posterUrl;
  return <div className="poster">{src ? <img src={src} alt="" loading="lazy" width={160} height={90} /> : <span aria-hidden="true">▶</span>}</div>;
}

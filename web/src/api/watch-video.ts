import { VideoStatus, type Video } from "@kino/proto/catalog/v1";
import { useEffect, useRef, useState } from "react";
import { catalogClient } from "./clients.ts";

export const isTerminal = (status: VideoStatus) =>
  status === VideoStatus.READY || status === VideoStatus.FAILED || status === VideoStatus.DELETED;

export interface LiveVideo {
  video: Video | undefined;
  error: unknown;
}

/**
 * Follows a video over the WatchVideo server stream (Connect over fetch):
 * the video now, then on every status or progress change until READY,
 * FAILED or DELETED. `onTerminal` runs once with the last state.
 */
export function useWatchVideo(videoId: string | undefined, onTerminal?: (video: Video) => void): LiveVideo {
  const [live, setLive] = useState<LiveVideo>({ video: undefined, error: undefined });
  // A notification, not an input: a new function must not restart the stream.
  const notify = useRef(onTerminal);
  notify.current = onTerminal;
  useEffect(() => {
    if (!videoId) return;
    const abort = new AbortController();
    void (async () => {
      try {
        for await (const { video } of catalogClient.watchVideo({ id: videoId }, { signal: abort.signal })) {
          if (!video) continue;
          setLive({ video, error: undefined });
          if (isTerminal(video.status)) notify.current?.(video);
        }
      } catch (error) {
        if (!abort.signal.aborted) setLive((previous) => ({ ...previous, error }));
      }
    })();
    return () => abort.abort();
  }, [videoId]);
  return live;
}

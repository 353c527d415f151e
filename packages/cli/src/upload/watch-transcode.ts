import { VideoStatus, type Video } from "@kino/proto/catalog/v1";
import type { GatewayClients } from "../api/gateway-clients.ts";

const terminal = new Set([VideoStatus.READY, VideoStatus.FAILED, VideoStatus.DELETED]);

/**
 * Follows a video through WatchVideo until a terminal status; reconnects
 * when the stream breaks (a gateway restart must not lose the wait).
 */
export async function watchUntilDone(
  clients: GatewayClients,
  videoId: string,
  onChange: (video: Video) => void,
  signal: AbortSignal,
): Promise<Video> {
  let last: Video | undefined;
  let failures = 0;
  while (!signal.aborted) {
    try {
      for await (const { video } of clients.videos.watchVideo({ id: videoId }, { signal })) {
        if (!video) continue;
        last = video;
        failures = 0;
        onChange(video);
        if (terminal.has(video.status)) return video;
      }
    } catch (error) {
      if (signal.aborted) break;
      if (++failures > 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** failures)));
    }
  }
  if (last) return last;
  throw new Error("interrupted before the video's status was known");
}

import { isServiceError, kinoErrorFromGrpc, type GrpcClient } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { VideoLifecycleService } from "@kino/proto/catalog/v1";
import type { PlaybackResolver } from "./origin-route.ts";
import { cachePlayback, type PlaybackCacheOptions } from "./playback-cache.ts";

export type PlaybackClient = Pick<GrpcClient<typeof VideoLifecycleService>, "getPlayback">;

export interface CatalogPlaybackOptions extends PlaybackCacheOptions {
  /** Deadline of one GetPlayback call; default 2 s. */
  timeoutMs?: number;
}

/**
 * Asks the catalog's GetPlayback which attempt of a video is current, with a
 * cache in front that keeps serving a video's last READY answer (for a
 * bounded time) while the catalog fails or is slow. Unknown or malformed ids
 * are "not playable"; any other failure, for a video the cache cannot answer,
 * throws KinoError "unavailable", which the origin answers with 503.
 */
export function catalogPlaybackResolver(client: PlaybackClient, options: CatalogPlaybackOptions = {}): PlaybackResolver {
  const timeoutMs = options.timeoutMs ?? 2_000;
  return cachePlayback(async (videoId) => {
    try {
      const { outputId } = await client.getPlayback({ videoId }, { timeoutMs });
      return outputId === "" ? undefined : outputId;
    } catch (error) {
      const cause = isServiceError(error) ? kinoErrorFromGrpc(error) : error;
      if (KinoError.is(cause, "not_found") || KinoError.is(cause, "invalid_argument")) return undefined;
      throw new KinoError("unavailable", `the catalog could not say whether video ${videoId} is playable`, { cause });
    }
  }, options);
}

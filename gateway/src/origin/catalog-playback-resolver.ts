import { isServiceError, kinoErrorFromGrpc, type GrpcClient } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import { ContentProtection, Visibility, type VideoLifecycleService } from "@kino/proto/catalog/v1";
import type { Playable, PlaybackVisibility } from "./playable.ts";
import { cachePlayback, type PlaybackCacheOptions, type PlaybackLookup } from "./playback-cache.ts";

export type PlaybackClient = Pick<GrpcClient<typeof VideoLifecycleService>, "getPlayback">;

export interface CatalogPlaybackOptions extends PlaybackCacheOptions {
  /** Deadline of one GetPlayback call; default 2 s. */
  timeoutMs?: number;
}

const visibilities: Partial<Record<Visibility, PlaybackVisibility>> = {
  [Visibility.PUBLIC]: "public",
  [Visibility.UNLISTED]: "unlisted",
  [Visibility.PRIVATE]: "private",
};

/**
 * Asks the catalog's GetPlayback which attempt of a video is current and who
 * may play it, with a cache in front that keeps serving a video's last READY
 * answer (for a bounded time) while the catalog fails or is slow. Unknown or
 * malformed ids are "not playable"; any other failure, for a video the cache
 * cannot answer, throws KinoError "unavailable", which the origin answers
 * with 503. So a visibility change or a deletion reaches the origin within
 * the cache's TTL (30 s by default) while the catalog answers.
 */
export function catalogPlaybackResolver(
  client: PlaybackClient,
  options: CatalogPlaybackOptions = {},
): PlaybackLookup<Playable> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  return cachePlayback(async (videoId): Promise<Playable | undefined> => {
    let answer;
    try {
      answer = await client.getPlayback({ videoId }, { timeoutMs });
    } catch (error) {
      const cause = isServiceError(error) ? kinoErrorFromGrpc(error) : error;
      if (KinoError.is(cause, "not_found") || KinoError.is(cause, "invalid_argument")) return undefined;
      throw new KinoError("unavailable", `the catalog could not say whether video ${videoId} is playable`, { cause });
    }
    if (answer.outputId === "") return undefined;
    const visibility = visibilities[answer.visibility];
    // A catalog that names no visibility we know of is not trusted with a guess: the video stays dark.
    if (!visibility) throw new KinoError("unavailable", `the catalog gave video ${videoId} a visibility the origin does not know (${answer.visibility})`);
    return {
      outputId: answer.outputId,
      visibility,
      ownerId: answer.ownerId,
      captions: answer.captions.map((c) => ({ language: c.language, label: c.label })),
      durationSeconds: answer.durationSeconds,
      contentProtected: answer.contentProtection === ContentProtection.AES_128,
      title: answer.title,
      downloadReady: answer.downloadReady,
    };
  }, options);
}

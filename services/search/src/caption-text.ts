import { isServiceError, kinoErrorFromGrpc, type GrpcClient } from "@kino/grpc";
import { KinoError } from "@kino/platform";
import type { CatalogExportService, Video } from "@kino/proto/catalog/v1";

/** The words of a video's captions as of the version at hand; "" for a video without captions, with no call. */
export type CaptionTextOf = (video: Video) => Promise<string>;

/**
 * From the catalog's export service: videos' messages say which languages
 * have captions, not their words. A failure throws, so the event is tried
 * again rather than indexed without them; a video the catalog no longer has
 * has no captions (its deletion is an event of its own).
 */
export function catalogCaptionText(catalog: Pick<GrpcClient<typeof CatalogExportService>, "getCaptionText">): CaptionTextOf {
  return async (video) => {
    if (video.captionLanguages.length === 0) return "";
    try {
      return (await catalog.getCaptionText({ videoId: video.id })).text;
    } catch (error) {
      const kino = isServiceError(error) ? kinoErrorFromGrpc(error) : error;
      if (KinoError.is(kino, "not_found")) return "";
      throw kino;
    }
  };
}

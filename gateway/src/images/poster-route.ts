import { createHash, randomBytes } from "node:crypto";
import { isServiceError, kinoErrorFromGrpc, requestIdMetadataKey, type GrpcClient } from "@kino/grpc";
import { isVideoId } from "@kino/platform";
import { Visibility, type VideoLifecycleService, type VideoPosterService } from "@kino/proto/catalog/v1";
import { mediaKey, type Storage } from "@kino/storage";
import type { GatewayRequest, GatewayResponse, HttpRoute, RouteContext } from "../http/http-route.ts";
import { answerJson, answerText, readLimitedBody } from "../http/small-answers.ts";
import { answerImageError } from "./image-http.ts";
import { openImageUpload, type ImageFormat } from "./image-upload.ts";

export const POSTERS_PREFIX = "/videos/";

export interface PosterRouteOptions {
  storage: Storage;
  posters: Pick<GrpcClient<typeof VideoPosterService>, "setVideoPoster" | "clearVideoPoster">;
  /** Which output is current and whose the video is, so nothing is stored for someone else's video. */
  playback: Pick<GrpcClient<typeof VideoLifecycleService>, "getPlayback">;
  /** Largest upload accepted, in bytes. */
  maxBytes: number;
  /** Deadline of each catalog call. */
  timeoutMs: number;
  /** Told the storage key of each poster file removed, so copies of it (the origin's cache) go too. */
  onRemoved?: (key: string) => void;
}

// What cameras and editors export; GIF is no poster.
const posterFormats: readonly ImageFormat[] = ["jpeg", "png", "webp", "avif", "heif"];
/** Posters are shown 16:9 at up to 720p; a larger upload is scaled down, a smaller one kept as it is. */
const POSTER_BOX = { width: 1280, height: 720 } as const;
const PATH = /^\/videos\/([A-Za-z0-9_-]{1,64})\/poster$/;

const posterKey = (videoId: string, outputId: string, file: string) => mediaKey(videoId, outputId, "posters", file);

/** The catalog's refusal as a KinoError, whose message is the reason the person reads. */
function fromCatalog(error: unknown): unknown {
  return isServiceError(error) ? kinoErrorFromGrpc(error) : error;
}

/**
 * A creator's own poster: `PUT /videos/<id>/poster` (the image as the body)
 * and `DELETE /videos/<id>/poster` (back to the automatic one), by the
 * owner or an admin. The upload is sniffed and re-encoded to JPEG (see
 * image-upload.ts), stored as `media/<id>/<output>/posters/<hash>.jpg`
 * (a new name each time, as posters are served immutable) and recorded
 * in the catalog, which checks ownership again and publishes video.updated.
 * The origin serves it under the video's playback rules like any poster.
 */
export function createPosterRoute(options: PosterRouteOptions): HttpRoute {
  const { storage } = options;

  async function change(videoId: string, req: GatewayRequest, res: GatewayResponse, context: RouteContext): Promise<void> {
    const caller = await context.caller({ requireCsrf: true });
    if (caller.kind !== "user") return answerText(res, 401, "sign in to change a video's poster");
    const call = { onBehalfOf: { userId: caller.userId, role: caller.role }, headers: { [requestIdMetadataKey]: context.requestId }, timeoutMs: options.timeoutMs };
    // The origin's own lookup, for no user; only the recording below acts for the caller.
    const playable = await options.playback.getPlayback({ videoId }, { headers: call.headers, timeoutMs: options.timeoutMs }).catch((error: unknown) => Promise.reject(fromCatalog(error)));
    // The catalog decides again when recording; this keeps other people's uploads out of storage altogether.
    if (playable.outputId === "" || (playable.ownerId !== caller.userId && caller.role !== "admin")) {
      const seen = playable.outputId !== "" && playable.visibility !== Visibility.PRIVATE;
      return seen ? answerText(res, 403, `video ${videoId} belongs to someone else`) : answerText(res, 404, `no video ${videoId} of yours is ready for a poster`);
    }
    if (req.method === "DELETE") {
      const cleared = await options.posters.clearVideoPoster({ videoId }, call).catch((error: unknown) => Promise.reject(fromCatalog(error)));
      await removeReplaced(videoId, playable.outputId, cleared.replacedPosterFile, context);
      return answerJson(res, 200, { posterPath: cleared.video?.posterPath ?? "" });
    }
    const body = await readLimitedBody(req, options.maxBytes);
    if (!body) return answerText(res, 413, `a poster may be at most ${options.maxBytes} bytes`, { connection: "close" });
    const image = await openImageUpload(body, posterFormats);
    const poster = await image.render((decoded) =>
      decoded.resize({ ...POSTER_BOX, fit: "inside", withoutEnlargement: true }).jpeg({ quality: 85, mozjpeg: true }),
    );
    // Content hash plus a nonce: a name no other upload shares, so removing a refused one never touches another.
    const file = `${createHash("sha256").update(poster).digest("hex").slice(0, 16)}${randomBytes(8).toString("hex")}.jpg`;
    const key = posterKey(videoId, playable.outputId, file);
    await storage.put(key, poster, { contentType: "image/jpeg" });
    let recorded;
    try {
      recorded = await options.posters.setVideoPoster({ videoId, outputId: playable.outputId, posterFile: file }, call);
    } catch (error) {
      await storage.delete(key);
      throw fromCatalog(error);
    }
    await removeReplaced(videoId, playable.outputId, recorded.replacedPosterFile, context);
    context.logger.info({ videoId, bytes: body.length, stored: poster.length }, "poster replaced");
    return answerJson(res, 200, { posterPath: recorded.video?.posterPath ?? "" });
  }

  /** The replaced file is no longer named by the video; a failure to delete it only leaves it behind until the video goes. */
  async function removeReplaced(videoId: string, outputId: string, file: string, context: RouteContext): Promise<void> {
    if (!file) return;
    const key = posterKey(videoId, outputId, file);
    try {
      await storage.delete(key);
      options.onRemoved?.(key);
    } catch (error) {
      context.logger.warn({ err: error, videoId }, "could not delete a replaced poster");
    }
  }

  return {
    name: "posters",
    prefix: POSTERS_PREFIX,
    // Only the poster itself: every other /videos/ path is a web app page.
    accepts: (_method, path) => PATH.test(path),
    async handle(req, res, context) {
      const videoId = PATH.exec((req.url ?? "/").split("?")[0]!)?.[1];
      if (!videoId || !isVideoId(videoId)) return answerText(res, 404, "not found");
      if (req.method !== "PUT" && req.method !== "DELETE") return answerText(res, 405, "PUT or DELETE", { allow: "PUT, DELETE" });
      try {
        await change(videoId, req, res, context);
      } catch (error) {
        if (!answerImageError(res, error)) throw error;
      }
    },
  };
}

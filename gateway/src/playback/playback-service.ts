import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { requestIdMetadataKey, type GrpcClient } from "@kino/grpc";
import type { Logger } from "@kino/platform";
import type { PlaybackTokens } from "@kino/playback-tokens";
import { ContentProtection, DownloadState, Visibility, VideoStatus, type CatalogService, type Video } from "@kino/proto/catalog/v1";
import type { PlaybackService } from "@kino/proto/playback/v1";
import type { GatewayAuth } from "../gateway.ts";
import { signedOriginPath } from "../origin/index.ts";
import { toConnectError } from "../rpc/connect-error.ts";

export interface PlaybackServiceOptions {
  catalog: Pick<GrpcClient<typeof CatalogService>, "getVideo">;
  auth: GatewayAuth;
  /** Absent when KINO_PLAYBACK_TOKEN_SECRET is not set: then only public videos get URLs. */
  tokens: Pick<PlaybackTokens, "issue"> | undefined;
  /** Where clients reach the gateway (and its origin), without a trailing slash, e.g. "https://api.example.com". */
  publicBaseUrl: string;
  /** Lifetime of signed URLs (6 h by default in config). */
  ttlSeconds: number;
  /** Deadline of the call to the catalog. */
  timeoutMs: number;
  logger: Logger;
}

/**
 * kino.playback.v1.PlaybackService, served by the gateway itself. It asks
 * the catalog for the video as the caller, so the catalog's visibility rules
 * decide who gets anything: a public video gets its plain URLs, an unlisted
 * one URLs signed for anyone holding them, a private one (only its owner
 * sees it) URLs signed for the owner.
 */
export function createPlaybackService(options: PlaybackServiceOptions): ServiceImpl<typeof PlaybackService> {
  async function videoFor(videoId: string, context: HandlerContext): Promise<Video> {
    try {
      const { video } = await options.catalog.getVideo(
        { id: videoId },
        {
          onBehalfOf: options.auth.onBehalfOf(context),
          headers: { [requestIdMetadataKey]: options.auth.requestIdOf(context) },
          timeoutMs: options.timeoutMs,
          signal: context.signal,
        },
      );
      if (!video) throw new ConnectError("the catalog returned no video", Code.Internal);
      return video;
    } catch (error) {
      throw toConnectError(error, "catalog");
    }
  }

  return {
    async getPlaybackInfo(request, context) {
      const videoId = request.videoId;
      if (videoId === "") throw new ConnectError("video_id is required", Code.InvalidArgument);
      const callerId = options.auth.callerOf(context);
      const video = await videoFor(videoId, context);
      // A PROCESSING video plays once its first rung is published (fast publish), under the same rules as a READY one.
      if (!(video.status === VideoStatus.READY || video.playable) || video.playbackPath === "") {
        throw new ConnectError(`video ${videoId} is not READY yet: it is ${VideoStatus[video.status]}, and not playable`, Code.FailedPrecondition);
      }
      const urlOf = (path: string) => (path === "" ? "" : `${options.publicBaseUrl}${path}`);
      const downloadPath = video.download?.state === DownloadState.READY ? video.download.path : "";

      // A protected video's key is served only under a token, so even a PUBLIC one plays from signed URLs.
      const contentProtected = video.contentProtection === ContentProtection.AES_128;
      if (video.visibility === Visibility.PUBLIC && !contentProtected) return { hlsUrl: urlOf(video.playbackPath), posterUrl: urlOf(video.posterPath), downloadUrl: urlOf(downloadPath) };
      let viewerId: string | undefined;
      if (video.visibility === Visibility.PRIVATE) {
        // The catalog shows a private video to its owner alone; a mismatch here would be its bug, never a reason to sign.
        if (callerId === undefined || callerId !== video.ownerId) throw new ConnectError(`video ${videoId} not found`, Code.NotFound);
        viewerId = callerId;
      } else if (video.visibility !== Visibility.UNLISTED && video.visibility !== Visibility.PUBLIC) {
        throw new ConnectError(`video ${videoId} has a visibility the gateway does not know (${video.visibility})`, Code.Internal);
      }
      if (!options.tokens) {
        throw new ConnectError("this gateway cannot sign playback URLs: KINO_PLAYBACK_TOKEN_SECRET is not set", Code.FailedPrecondition);
      }
      const { token, grant } = options.tokens.issue({ videoId, viewerId, ttlSeconds: options.ttlSeconds });
      const signed = (path: string) => (path === "" ? "" : urlOf(signedOriginPath(path, token)));
      options.logger.debug({ videoId, viewerId, expiresAt: grant.expiresAt }, "playback URLs signed");
      return {
        hlsUrl: signed(video.playbackPath),
        posterUrl: signed(video.posterPath),
        downloadUrl: signed(downloadPath),
        expireTime: timestampFromMs(grant.expiresAt * 1000),
      };
    },
  };
}

import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { requestIdMetadataKey, type GrpcClient } from "@kino/grpc";
import type { Logger } from "@kino/platform";
import type { CatalogService } from "@kino/proto/catalog/v1";
import type { UploadService } from "@kino/proto/upload/v1";
import type { GatewayAuth } from "../gateway.ts";
import { toConnectError } from "../rpc/connect-error.ts";
import { describeBytes } from "./describe-bytes.ts";
import { allowedUploadBytes } from "./upload-quota.ts";
import { UPLOADS_PREFIX } from "./upload-route.ts";
import type { UploadTokens } from "./upload-token.ts";

export interface UploadServiceOptions {
  catalog: GrpcClient<typeof CatalogService>;
  auth: GatewayAuth;
  tokens: UploadTokens;
  /** Where clients reach the gateway, without a trailing slash, e.g. "https://api.example.com". */
  publicBaseUrl: string;
  maxSizeBytes: number;
  /** Lifetime of an upload URL (24 h by default in config). */
  expiresInMs: number;
  /** Deadline of the call to the catalog. */
  timeoutMs: number;
  logger: Logger;
}

/**
 * kino.upload.v1.UploadService, served by the gateway itself: creates the
 * video in UPLOADING and hands out a signed, expiring tus URL for it, like a
 * direct-upload URL of Mux or Cloudflare Stream.
 */
export function createUploadService(options: UploadServiceOptions): ServiceImpl<typeof UploadService> {
  const { maxSizeBytes } = options;

  return {
    async createUpload(request, context) {
      const caller = options.auth.caller(context);
      if (caller.kind !== "user") {
        throw new ConnectError("uploading needs a signed-in caller: send an access token or API key as a bearer token", Code.Unauthenticated);
      }
      if (request.sizeBytes > BigInt(maxSizeBytes)) {
        throw new ConnectError(
          `the file is ${request.sizeBytes} bytes, over the upload limit of ${describeBytes(maxSizeBytes)} (${maxSizeBytes} bytes)`,
          Code.InvalidArgument,
        );
      }
      const callOptions = {
        onBehalfOf: options.auth.onBehalfOf(context),
        headers: { [requestIdMetadataKey]: options.auth.requestIdOf(context) },
        timeoutMs: options.timeoutMs,
        signal: context.signal,
      };
      let created;
      let uploadLimit: bigint;
      try {
        uploadLimit = allowedUploadBytes(caller, request.sizeBytes, BigInt(maxSizeBytes), await options.catalog.getUsage({}, callOptions));
        created = await options.catalog.createVideo(
          { title: request.title, description: request.description, visibility: request.visibility, contentProtection: request.contentProtection, download: request.download },
          callOptions,
        );
      } catch (error) {
        throw toConnectError(error, "catalog");
      }
      const video = created.video;
      if (!video) throw new ConnectError("the catalog returned no video", Code.Internal);
      const exp = Date.now() + options.expiresInMs;
      const token = options.tokens.issue({ videoId: video.id, ownerId: caller.userId, exp, maxSize: Number(uploadLimit) });
      options.logger.info({ videoId: video.id, ownerId: caller.userId }, "upload created");
      return {
        video,
        uploadUrl: `${options.publicBaseUrl}${UPLOADS_PREFIX}${token}`,
        expireTime: timestampFromMs(exp),
        maxSizeBytes: uploadLimit,
      };
    },
  };
}

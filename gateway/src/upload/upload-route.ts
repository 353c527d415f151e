import { join } from "node:path";
import type { GrpcClient } from "@kino/grpc";
import { KinoError, type Logger } from "@kino/platform";
import type { VideoLifecycleService } from "@kino/proto/catalog/v1";
import type { Storage } from "@kino/storage";
import { MemoryLocker, type Locker, type Upload } from "@tus/server";
import type { GatewayRequest, GatewayResponse, HttpRoute, RouteContext } from "../http/http-route.ts";
import { CHECKSUM_ALGORITHMS, parseUploadChecksum, type ExpectedChecksum } from "./checksum.ts";
import { createExpirySweeper } from "./expiry-sweeper.ts";
import { createUploadFinisher, type Exclusive, type FinishOutcome } from "./finish-upload.ts";
import { sendTusResponse } from "./plain-response.ts";
import { PROXIED_HEADER, proxyToPeer } from "./proxy-to-peer.ts";
import type { ValidateSource } from "./source-validation.ts";
import { createTusEndpoint, type TusRequestContext } from "./tus-endpoint.ts";
import { isHostId, newUploadId, parseUploadId } from "./upload-id.ts";
import { openUploadRecords } from "./upload-records.ts";
import { UploadTokenError, type UploadClaims, type UploadTokens } from "./upload-token.ts";

export const UPLOADS_PREFIX = "/uploads/";

export interface UploadRouteOptions {
  tokens: UploadTokens;
  /** This host's disk space for partial files (`files/`) and upload records (`records/`). */
  stagingDir: string;
  storage: Storage;
  lifecycle: GrpcClient<typeof VideoLifecycleService>;
  validateSource: ValidateSource;
  /** Names this host inside upload ids; [A-Za-z0-9_-]. */
  hostId: string;
  /** Base URL of every other upload host by id; read on each request, so it may be filled in later. */
  peers: ReadonlyMap<string, string>;
  /** Where clients reach the gateway, without a trailing slash; upload Locations are built on it. */
  publicBaseUrl: string;
  maxSizeBytes: number;
  lifecycleTimeoutMs?: number;
  /** How often expired uploads are swept; 0 turns the timer off (call sweepExpired yourself). */
  sweepIntervalMs?: number;
  /**
   * The gateway workers of one host share its staging directory, so they
   * pass their primary's locks (workers/worker-link.ts): tus's, one request
   * at a time per upload (in-process MemoryLocker by default), and one
   * finishing of an upload at a time (see finish-upload.ts).
   */
  locks?: { locker: Locker; exclusive: Exclusive };
  logger: Logger;
}

export interface UploadRoute extends HttpRoute {
  /** Deletes what expired upload URLs left behind, marking unfinished videos FAILED; returns how many those were. */
  sweepExpired(now?: number): Promise<number>;
  /** Stops the sweep timer. */
  close(): void;
}

function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/**
 * tus 1.0 at /uploads/: POST /uploads/<token> creates the one upload a
 * signed upload URL allows; HEAD, PATCH and DELETE /uploads/<uploadId> go
 * to @tus/server when this host stages the file and are proxied to the peer
 * that does otherwise. Finished files are judged by `validateSource`, then
 * streamed into storage (see finish-upload.ts).
 *
 * A final request that meets storage or catalog trouble is answered 503 and
 * keeps the staged file: the client repeats it (PATCH at the full offset
 * with an empty body), or asks HEAD, which finishes the upload too and
 * answers 423 Locked, tus-js-client's "retry later", while the trouble lasts.
 */
export async function createUploadRoute(options: UploadRouteOptions): Promise<UploadRoute> {
  const { hostId } = options;
  if (!isHostId(hostId)) throw new Error(`upload host id ${JSON.stringify(hostId)} must be 1-64 characters of [A-Za-z0-9_-]`);
  const lifecycleTimeoutMs = options.lifecycleTimeoutMs ?? 10_000;
  const records = await openUploadRecords(join(options.stagingDir, "records"));

  const finishStaged = async (upload: Upload): Promise<FinishOutcome> => {
    const { videoId } = parseUploadId(upload.id)!;
    const record = await records.get(videoId);
    if (record?.uploadId !== upload.id) return { kind: "gone", message: "the upload was terminated" };
    return finish({ uploadId: upload.id, videoId, size: upload.size ?? upload.offset, expiresAt: record.expiresAt });
  };
  const tus = await createTusEndpoint({
    directory: join(options.stagingDir, "files"),
    locker: options.locks?.locker ?? new MemoryLocker(),
    records,
    maxSizeBytes: options.maxSizeBytes,
    uploadUrlOf: (uploadId) => `${options.publicBaseUrl}${UPLOADS_PREFIX}${uploadId}`,
    finish: finishStaged,
  });
  const { store } = tus;
  const finish = createUploadFinisher({
    store,
    records,
    storage: options.storage,
    lifecycle: options.lifecycle,
    validateSource: options.validateSource,
    lifecycleTimeoutMs,
    ...(options.locks ? { exclusive: options.locks.exclusive } : {}),
    logger: options.logger,
  });
  const sweeper = createExpirySweeper({
    store,
    records,
    lifecycle: options.lifecycle,
    lifecycleTimeoutMs,
    intervalMs: options.sweepIntervalMs ?? 10 * 60_000,
    logger: options.logger,
  });

  /** Undefined after answering 400 for a malformed Upload-Checksum. */
  const checksumOf = (req: GatewayRequest, res: GatewayResponse): { checksum?: ExpectedChecksum } | undefined => {
    const parsed = parseUploadChecksum(req.headers["upload-checksum"]);
    if (parsed.ok) return parsed.checksum ? { checksum: parsed.checksum } : {};
    sendTusResponse(res, 400, parsed.problem);
    return undefined;
  };

  /**
   * An upload URL is a capability: whoever holds it may use it without other
   * credentials (tus clients, curl). But one presented with another
   * account's credentials was passed on or leaked: refused.
   */
  async function refusedForAnotherAccount(ownerId: string | undefined, res: GatewayResponse, context: RouteContext): Promise<boolean> {
    let caller;
    try {
      caller = await context.caller();
    } catch (error) {
      if (!(error instanceof KinoError)) throw error;
      sendTusResponse(res, error.code === "unavailable" ? 503 : 401, error.message);
      return true;
    }
    if (caller.kind === "user" && ownerId !== undefined && caller.userId !== ownerId) {
      sendTusResponse(res, 403, "this upload URL was issued to another account");
      return true;
    }
    return false;
  }

  async function create(token: string, req: GatewayRequest, res: GatewayResponse, context: RouteContext): Promise<void> {
    const { logger } = context;
    let claims: UploadClaims;
    try {
      claims = options.tokens.verify(token);
    } catch (error) {
      if (!(error instanceof UploadTokenError)) throw error;
      return sendTusResponse(res, error.problem === "expired" ? 410 : 403, error.message);
    }
    if (await refusedForAnotherAccount(claims.ownerId, res, context)) return;
    const checksum = checksumOf(req, res);
    if (!checksum) return;
    res.setHeader("Upload-Expires", httpDate(claims.exp));
    const creation = { claims, uploadId: newUploadId(hostId, claims.videoId), claimed: false, created: false };
    await tus.serve(req, res, { logger: logger.child({ videoId: claims.videoId }), ...checksum, creation });
    // Refused before the file existed (e.g. 413): the video may still be uploaded.
    if (creation.claimed && !creation.created) await records.remove(claims.videoId);
  }

  function answerFinished(outcome: FinishOutcome, res: GatewayResponse): void {
    switch (outcome.kind) {
      case "uploaded":
        return sendTusResponse(res, 200, undefined, { "Upload-Offset": outcome.size, "Upload-Length": outcome.size });
      case "rejected":
        return sendTusResponse(res, 422, outcome.reason);
      case "gone":
        return sendTusResponse(res, 410, outcome.message);
      case "unavailable":
        // tus-js-client retries a 423 with HEAD; after a 5xx it would create a new upload.
        return sendTusResponse(res, 423, outcome.message);
    }
  }

  async function existing(uploadId: string, req: GatewayRequest, res: GatewayResponse, routeContext: RouteContext): Promise<void> {
    const { logger } = routeContext;
    const parts = parseUploadId(uploadId);
    if (!parts) return sendTusResponse(res, 404, "no such upload");
    if (parts.hostId !== hostId) {
      const peerUrl = options.peers.get(parts.hostId);
      if (!peerUrl) return sendTusResponse(res, 404, "no such upload");
      if (req.headers[PROXIED_HEADER]) return sendTusResponse(res, 508, "upload hosts forward to each other in a loop");
      return proxyToPeer(req, res, { peerUrl, hostId, logger });
    }
    const record = await records.get(parts.videoId);
    if (!record || record.uploadId !== uploadId) return sendTusResponse(res, 404, "no such upload");
    if (await refusedForAnotherAccount(record.ownerId, res, routeContext)) return;
    if (Date.now() >= record.expiresAt) return sendTusResponse(res, 410, `this upload expired at ${new Date(record.expiresAt).toISOString()}`);
    res.setHeader("Upload-Expires", httpDate(record.expiresAt));

    if (record.state === "finished") {
      if (req.method === "DELETE") return sendTusResponse(res, 400, "a finished upload cannot be terminated");
      return sendTusResponse(res, req.method === "HEAD" ? 200 : 204, undefined, { "Upload-Offset": record.size, "Upload-Length": record.size });
    }
    if (record.state === "rejected") return sendTusResponse(res, req.method === "DELETE" ? 400 : 422, record.reason);

    const context: TusRequestContext = { logger: logger.child({ videoId: parts.videoId }) };
    const staged = await store.getUpload(uploadId).catch(() => undefined);
    const complete = staged !== undefined && staged.size !== undefined && staged.offset === staged.size;
    if (req.method === "HEAD" && complete) return answerFinished(await finishStaged(staged), res);
    if (req.method === "DELETE") {
      if (complete) return sendTusResponse(res, 400, "a finished upload cannot be terminated");
      // Forget the claim first, so the video may take a new upload as soon as this one is gone.
      await records.remove(parts.videoId);
    }
    if (req.method === "PATCH") {
      const checksum = checksumOf(req, res);
      if (!checksum) return;
      Object.assign(context, checksum);
    }
    await tus.serve(req, res, context);
  }

  return {
    name: "uploads",
    prefix: UPLOADS_PREFIX,
    async handle(req, res, context) {
      const { logger } = context;
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const name = path.slice(UPLOADS_PREFIX.length);
      if (req.method === "OPTIONS") {
        res.setHeader("Tus-Checksum-Algorithm", CHECKSUM_ALGORITHMS.join(","));
        return tus.serve(req, res, { logger });
      }
      if (name === "" || name.includes("/")) return sendTusResponse(res, 404, "no such upload");
      switch (req.method) {
        case "POST":
          return create(name, req, res, context);
        case "HEAD":
        case "PATCH":
        case "DELETE":
          return existing(name, req, res, context);
        default:
          return sendTusResponse(res, 405, "uploads accept POST, HEAD, PATCH, DELETE and OPTIONS", { Allow: "POST, HEAD, PATCH, DELETE, OPTIONS" });
      }
    },
    sweepExpired: (now) => sweeper.sweep(now),
    close: () => sweeper.stop(),
  };
}

import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import type { GrpcClient } from "@kino/grpc";
import type { Logger } from "@kino/platform";
import type { VideoLifecycleService } from "@kino/proto/catalog/v1";
import type { Storage } from "@kino/storage";
import { ERRORS, EVENTS, Server, type Upload } from "@tus/server";
import type { GatewayRequest, GatewayResponse, HttpRoute } from "../http/http-route.ts";
import { CHECKSUM_ALGORITHMS, parseUploadChecksum, type ExpectedChecksum } from "./checksum.ts";
import { createUploadFinisher, type FinishOutcome } from "./finish-upload.ts";
import { describeBytes } from "./describe-bytes.ts";
import { sendTusResponse } from "./plain-response.ts";
import { PROXIED_HEADER, proxyToPeer } from "./proxy-to-peer.ts";
import type { ValidateSource } from "./source-validation.ts";
import { StagingStore } from "./staging-store.ts";
import { isHostId, newUploadId, parseUploadId } from "./upload-id.ts";
import { openUploadRecords, type UploadRecord, type UploadRecords } from "./upload-records.ts";
import { createExpirySweeper } from "./expiry-sweeper.ts";
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
  /** Where clients reach the gateway; upload Locations are built on it. */
  publicBaseUrl: string;
  maxSizeBytes: number;
  lifecycleTimeoutMs?: number;
  /** How often expired uploads are swept; 0 turns the timer off (call sweepExpired yourself). */
  sweepIntervalMs?: number;
  logger: Logger;
}

export interface UploadRoute extends HttpRoute {
  /** Deletes what expired upload URLs left behind, marking unfinished videos FAILED; returns how many those were. */
  sweepExpired(now?: number): Promise<number>;
  /** Stops the sweep timer. */
  close(): void;
}

/** What the tus hooks need to know about the request being served. */
interface TusRequestContext {
  logger: Logger;
  checksum?: ExpectedChecksum;
  creation?: { claims: UploadClaims; uploadId: string; claimed: boolean; created: boolean };
}

const EXPOSED_HEADERS = ["Upload-Expires", "Tus-Checksum-Algorithm", "X-Request-Id"];

function conflictMessage(record: UploadRecord): string {
  switch (record.state) {
    case "uploading":
      return "this video already has an upload in progress; resume it instead of starting another";
    case "finished":
      return "this video's file has already been uploaded";
    case "rejected":
      return `this video's upload was refused (${record.reason}); create a new upload`;
  }
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
  const { hostId, maxSizeBytes } = options;
  if (!isHostId(hostId)) throw new Error(`upload host id ${JSON.stringify(hostId)} must be 1-64 characters of [A-Za-z0-9_-]`);
  const lifecycleTimeoutMs = options.lifecycleTimeoutMs ?? 10_000;
  const requests = new AsyncLocalStorage<TusRequestContext>();
  const store = new StagingStore(join(options.stagingDir, "files"), () => requests.getStore()?.checksum);
  await store.ensureDirectory();
  const records: UploadRecords = await openUploadRecords(join(options.stagingDir, "records"));
  const finish = createUploadFinisher({
    store,
    records,
    storage: options.storage,
    lifecycle: options.lifecycle,
    validateSource: options.validateSource,
    lifecycleTimeoutMs,
    logger: options.logger,
  });
  const finishStaged = (upload: Upload, expiresAt: number) =>
    finish({ uploadId: upload.id, videoId: parseUploadId(upload.id)!.videoId, size: upload.size ?? upload.offset, expiresAt });

  const tus = new Server({
    path: UPLOADS_PREFIX.slice(0, -1),
    datastore: store,
    maxSize: () => {
      const creation = requests.getStore()?.creation;
      return creation ? Math.min(creation.claims.maxSize, maxSizeBytes) : maxSizeBytes;
    },
    disableTerminationForFinishedUploads: true,
    // The gateway's CORS policy decides origins; tus only adds its exposed headers.
    allowedOrigins: () => false,
    exposedHeaders: EXPOSED_HEADERS,
    generateUrl: (_req, { id }) => `${options.publicBaseUrl}${UPLOADS_PREFIX}${id}`,
    namingFunction: () => {
      const creation = requests.getStore()?.creation;
      if (!creation) throw ERRORS.FILE_NOT_FOUND;
      return creation.uploadId;
    },
    async onUploadCreate(_req, upload) {
      const creation = requests.getStore()!.creation!;
      const record: UploadRecord = { state: "uploading", uploadId: upload.id, expiresAt: creation.claims.exp };
      const existing = await records.claim(creation.claims.videoId, record);
      if (existing) throw { status_code: 409, body: `${conflictMessage(existing)}\n` };
      creation.claimed = true;
      return {};
    },
    async onUploadFinish(_req, upload) {
      const record = await records.get(parseUploadId(upload.id)!.videoId);
      const outcome = await finishStaged(upload, record?.expiresAt ?? Date.now());
      switch (outcome.kind) {
        case "uploaded":
          return {};
        case "rejected":
          return { status_code: 422, body: `${outcome.reason}\n` };
        case "gone":
          return { status_code: 410, body: `${outcome.message}\n` };
        case "unavailable":
          throw { status_code: 503, body: `${outcome.message}\n` };
      }
    },
    onResponseError(_req, error) {
      if (error === ERRORS.ERR_MAX_SIZE_EXCEEDED) {
        return { status_code: 413, body: `the file is larger than the upload limit of ${describeBytes(maxSizeBytes)}\n` };
      }
      if (error instanceof Error) requests.getStore()?.logger.error({ err: error }, "tus request failed");
      return undefined;
    },
  });
  tus.on(EVENTS.POST_CREATE, () => {
    const creation = requests.getStore()?.creation;
    if (creation) creation.created = true;
  });

  const serveWithTus = (req: GatewayRequest, res: GatewayResponse, context: TusRequestContext) =>
    requests.run(context, () => tus.handle(req as IncomingMessage, res as ServerResponse));

  const checksumOf = (req: GatewayRequest, res: GatewayResponse): { ok: boolean; checksum?: ExpectedChecksum } => {
    const parsed = parseUploadChecksum(req.headers["upload-checksum"]);
    if (parsed.ok) return parsed;
    sendTusResponse(res, 400, parsed.problem);
    return { ok: false };
  };

  async function create(token: string, req: GatewayRequest, res: GatewayResponse, logger: Logger): Promise<void> {
    let claims: UploadClaims;
    try {
      claims = options.tokens.verify(token);
    } catch (error) {
      if (!(error instanceof UploadTokenError)) throw error;
      sendTusResponse(res, error.problem === "expired" ? 410 : 403, error.message);
      return;
    }
    const checksum = checksumOf(req, res);
    if (!checksum.ok) return;
    res.setHeader("Upload-Expires", httpDate(claims.exp));
    const creation = { claims, uploadId: newUploadId(hostId, claims.videoId), claimed: false, created: false };
    await serveWithTus(req, res, { logger: logger.child({ videoId: claims.videoId }), checksum: checksum.checksum, creation });
    // Refused before the file existed (e.g. 413): the video may still be uploaded.
    if (creation.claimed && !creation.created) await records.remove(claims.videoId);
  }

  async function answerFinished(outcome: FinishOutcome, res: GatewayResponse): Promise<void> {
    switch (outcome.kind) {
      case "uploaded":
        return sendTusResponse(res, 200, undefined, { "Upload-Offset": outcome.size, "Upload-Length": outcome.size });
      case "rejected":
        return sendTusResponse(res, 422, outcome.reason);
      case "gone":
        return sendTusResponse(res, 410, outcome.message);
      case "unavailable":
        // tus-js-client retries a 423 with HEAD; a 5xx would make it start a new upload.
        return sendTusResponse(res, 423, outcome.message);
    }
  }

  async function existing(uploadId: string, req: GatewayRequest, res: GatewayResponse, logger: Logger): Promise<void> {
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
    if (Date.now() >= record.expiresAt) return sendTusResponse(res, 410, `this upload expired at ${new Date(record.expiresAt).toISOString()}`);
    res.setHeader("Upload-Expires", httpDate(record.expiresAt));

    if (record.state === "finished") {
      if (req.method === "DELETE") return sendTusResponse(res, 400, "a finished upload cannot be terminated");
      const status = req.method === "HEAD" ? 200 : 204;
      return sendTusResponse(res, status, undefined, { "Upload-Offset": record.size, "Upload-Length": record.size });
    }
    if (record.state === "rejected") {
      return sendTusResponse(res, req.method === "DELETE" ? 400 : 422, record.reason);
    }
    const context: TusRequestContext = { logger: logger.child({ videoId: parts.videoId }) };
    if (req.method === "HEAD") {
      const staged = await store.getUpload(uploadId).catch(() => undefined);
      if (staged && staged.size !== undefined && staged.offset === staged.size) {
        return answerFinished(await requests.run(context, () => finishStaged(staged, record.expiresAt)), res);
      }
    }
    if (req.method === "PATCH") {
      const checksum = checksumOf(req, res);
      if (!checksum.ok) return;
      if (checksum.checksum) context.checksum = checksum.checksum;
    }
    // Terminated: forget the claim first, so the video may be uploaded again at once.
    if (req.method === "DELETE") await records.remove(parts.videoId);
    await serveWithTus(req, res, context);
  }

  const sweeper = createExpirySweeper({
    store,
    records,
    lifecycle: options.lifecycle,
    lifecycleTimeoutMs,
    intervalMs: options.sweepIntervalMs ?? 10 * 60_000,
    logger: options.logger,
  });

  return {
    name: "uploads",
    prefix: UPLOADS_PREFIX,
    async handle(req, res, { logger }) {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const name = path.slice(UPLOADS_PREFIX.length);
      if (req.method === "OPTIONS") {
        res.setHeader("Tus-Checksum-Algorithm", CHECKSUM_ALGORITHMS.join(","));
        return serveWithTus(req, res, { logger });
      }
      if (name === "" || name.includes("/")) return sendTusResponse(res, 404, "no such upload");
      switch (req.method) {
        case "POST":
          return create(name, req, res, logger);
        case "HEAD":
        case "PATCH":
        case "DELETE":
          return existing(name, req, res, logger);
        default:
          return sendTusResponse(res, 405, "uploads accept POST, HEAD, PATCH, DELETE and OPTIONS", { Allow: "POST, HEAD, PATCH, DELETE, OPTIONS" });
      }
    },
    sweepExpired: (now) => sweeper.sweep(now),
    close: () => sweeper.stop(),
  };
}

import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "@kino/platform";
import { ERRORS, EVENTS, Server, type Locker, type Upload } from "@tus/server";
import type { GatewayRequest, GatewayResponse } from "../http/http-route.ts";
import type { ExpectedChecksum } from "./checksum.ts";
import { describeBytes } from "./describe-bytes.ts";
import type { FinishOutcome } from "./finish-upload.ts";
import { StagingStore } from "./staging-store.ts";
import type { UploadRecord, UploadRecords } from "./upload-records.ts";
import type { UploadClaims } from "./upload-token.ts";

/** What the tus hooks need to know about the request being served. */
export interface TusRequestContext {
  logger: Logger;
  /** The Upload-Checksum the request announced. */
  checksum?: ExpectedChecksum;
  /** Set on a creation (POST): whom the upload URL was issued for, and the id chosen for the upload. */
  creation?: { claims: UploadClaims; uploadId: string; claimed: boolean; created: boolean };
}

export interface TusEndpointOptions {
  /** Where partial files and their tus info files live. */
  directory: string;
  /** One request at a time per upload. */
  locker: Locker;
  records: UploadRecords;
  maxSizeBytes: number;
  /** Location of an upload, as clients reach it. */
  uploadUrlOf(uploadId: string): string;
  /** Moves a completely received upload on (see finish-upload.ts). */
  finish(upload: Upload): Promise<FinishOutcome>;
}

export interface TusEndpoint {
  store: StagingStore;
  serve(req: GatewayRequest, res: GatewayResponse, context: TusRequestContext): Promise<void>;
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

/**
 * @tus/server over a StagingStore, its hooks bound to Kino: the upload id
 * and size limit come from the verified upload URL, a video takes one
 * upload, and a finished file is answered with the verdict on it.
 */
export async function createTusEndpoint(options: TusEndpointOptions): Promise<TusEndpoint> {
  const { records, maxSizeBytes } = options;
  const requests = new AsyncLocalStorage<TusRequestContext>();
  const store = new StagingStore(options.directory, () => requests.getStore()?.checksum);
  await store.ensureDirectory();

  const tus = new Server({
    path: "/uploads",
    datastore: store,
    locker: options.locker,
    maxSize: () => {
      const creation = requests.getStore()?.creation;
      return creation ? Math.min(creation.claims.maxSize, maxSizeBytes) : maxSizeBytes;
    },
    disableTerminationForFinishedUploads: true,
    // The gateway's CORS policy decides origins; tus only adds its exposed headers.
    allowedOrigins: () => false,
    exposedHeaders: EXPOSED_HEADERS,
    generateUrl: (_req, { id }) => options.uploadUrlOf(id),
    namingFunction: () => {
      const creation = requests.getStore()?.creation;
      if (!creation) throw ERRORS.FILE_NOT_FOUND;
      return creation.uploadId;
    },
    async onUploadCreate(_req, upload) {
      const creation = requests.getStore()?.creation;
      if (!creation) throw ERRORS.FILE_NOT_FOUND;
      const record: UploadRecord = { state: "uploading", uploadId: upload.id, expiresAt: creation.claims.exp, ownerId: creation.claims.ownerId };
      const existing = await records.claim(creation.claims.videoId, record);
      if (existing) throw { status_code: 409, body: `${conflictMessage(existing)}\n` };
      creation.claimed = true;
      return {};
    },
    async onUploadFinish(_req, upload) {
      const outcome = await options.finish(upload);
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

  return {
    store,
    serve: (req, res, context) => requests.run(context, () => tus.handle(req as IncomingMessage, res as ServerResponse)),
  };
}

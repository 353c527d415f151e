import { CaptionError, captionPlainText, defaultCueLimits, normaliseCaptionLanguage, parseCaptions } from "@kino/captions";
import { isServiceError, kinoErrorFromGrpc, type GrpcClient } from "@kino/grpc";
import { KinoError, isVideoId } from "@kino/platform";
import type { CaptionStoreService } from "@kino/proto/catalog/v1";
import type { Storage } from "@kino/storage";
import type { SignedInCaller } from "../auth/caller.ts";
import type { GatewayRequest, GatewayResponse, HttpRoute } from "../http/http-route.ts";
import { answerText, readLimitedBody } from "../http/small-answers.ts";
import { captionKey } from "./caption-key.ts";

export const CAPTIONS_PATH = /^\/videos\/([a-z0-9]{20})\/captions\/([^/]{1,64})$/;

export interface CaptionRouteOptions {
  storage: Storage;
  captionStore: Pick<GrpcClient<typeof CaptionStoreService>, "authorizeCaptionChange" | "recordCaption" | "deleteCaption">;
  /** Largest caption file accepted, in bytes. */
  maxBytes: number;
  timeoutMs: number;
  /** After a change: the origin's cached playback answer lists the old captions. */
  onChange?: (videoId: string) => void;
}

const statuses: Record<string, number> = { invalid_argument: 400, unauthenticated: 401, permission_denied: 403, not_found: 404, unavailable: 503 };

/** A refusal from the catalog, as the KinoError it stands for. */
function fromCatalog(error: unknown): unknown {
  return isServiceError(error) ? kinoErrorFromGrpc(error) : error;
}

/**
 * `PUT /videos/<id>/captions/<language>[?label=…]` with a WebVTT or SRT file
 * as the body, and `DELETE` of the same path: the video's owner (or an
 * admin) adds, replaces or removes one language's track. The file is parsed
 * and stored as Kino's own WebVTT under a key made of the video id and the
 * canonical language alone; the catalog checks ownership before anything is
 * stored, and records the track after.
 */
export function createCaptionRoute(options: CaptionRouteOptions): HttpRoute {
  const { storage, captionStore, maxBytes, timeoutMs, onChange } = options;

  async function put(req: GatewayRequest, res: GatewayResponse, videoId: string, language: string, caller: SignedInCaller, label: string) {
    const callOptions = { timeoutMs, onBehalfOf: { userId: caller.userId, role: caller.role } };
    // Before the body is read or anything stored: a file for someone else's video never reaches storage.
    await captionStore.authorizeCaptionChange({ videoId }, callOptions);
    const body = await readLimitedBody(req, maxBytes);
    if (!body) return answerText(res, 413, `a caption file may be at most ${maxBytes} bytes`, { connection: "close" });
    const parsed = parseCaptions(body, { ...defaultCueLimits, maxBytes });
    await storage.put(captionKey(videoId, language), Buffer.from(parsed.webVtt, "utf8"), { contentType: "text/vtt; charset=utf-8" });
    const { caption } = await captionStore.recordCaption({ videoId, language, label, text: captionPlainText(parsed.cues) }, callOptions);
    onChange?.(videoId);
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify({ language: caption!.language, label: caption!.label, version: String(caption!.version), format: parsed.format, cues: parsed.cues.length }));
  }

  async function remove(res: GatewayResponse, videoId: string, language: string, caller: SignedInCaller) {
    await captionStore.deleteCaption({ videoId, language }, { timeoutMs, onBehalfOf: { userId: caller.userId, role: caller.role } });
    await storage.delete(captionKey(videoId, language));
    onChange?.(videoId);
    answerText(res, 204, "");
  }

  return {
    name: "captions",
    prefix: "/videos/",
    accepts: (method, path) => (method === "PUT" || method === "DELETE") && CAPTIONS_PATH.test(path),
    async handle(req, res, context) {
      const url = new URL(req.url ?? "/", "http://gateway");
      const [, videoId, rawLanguage] = CAPTIONS_PATH.exec(url.pathname) ?? [];
      try {
        if (!videoId || !isVideoId(videoId) || rawLanguage === undefined) return answerText(res, 404, "not found");
        const language = normaliseCaptionLanguage(decodeURIComponent(rawLanguage));
        const caller = await context.caller({ requireCsrf: true });
        if (caller.kind !== "user") return answerText(res, 401, "sign in to change captions");
        if (req.method === "DELETE") return await remove(res, videoId, language, caller);
        await put(req, res, videoId, language, caller, url.searchParams.get("label") ?? "");
        context.logger.info({ videoId, language }, "captions stored");
      } catch (raw) {
        const error = fromCatalog(raw);
        if (error instanceof CaptionError || (error instanceof KinoError && statuses[error.code] !== undefined)) {
          return answerText(res, statuses[(error as KinoError).code] ?? 400, (error as KinoError).message);
        }
        throw error;
      }
    },
  };
}

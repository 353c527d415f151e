import { pipeline } from "node:stream/promises";
import type { Logger } from "@kino/platform";
import { mediaKey, StorageError, type Storage } from "@kino/storage";
import type { GatewayRequest, GatewayResponse, HttpRoute } from "../http/http-route.ts";
import { planAnswer } from "./answer-plan.ts";
import { mediaTypeOf, type MediaType } from "./media-types.ts";
import { cacheControlOf, objectHeaders, sendStatus, validatorHeaders } from "./origin-responses.ts";
import { ORIGIN_PREFIX, parseOriginPath } from "./origin-path.ts";

/** The output id of a video's current, READY attempt; undefined when the video is not playable. */
export type PlaybackResolver = (videoId: string) => Promise<string | undefined>;

export interface OriginRouteOptions {
  storage: Storage;
  resolvePlayback: PlaybackResolver;
  /** Lifetime of playlists in shared caches; default 10 s. Segments, init files and posters never change. */
  playlistMaxAgeSeconds?: number;
}

interface Target {
  key: string;
  type: MediaType;
  cacheControl: string;
}

/**
 * Serves `/hls/<videoId>/<outputId>/<file>` from `media/<videoId>/<outputId>/`
 * with the headers a CDN and a player need. Only the attempt the catalog
 * names as current is served, so an abandoned attempt's outputs, or a video
 * that is not READY, answer 404 like any path that is not a known file.
 */
export function createOriginRoute(options: OriginRouteOptions): HttpRoute {
  const { storage, resolvePlayback } = options;
  const playlistMaxAgeSeconds = options.playlistMaxAgeSeconds ?? 10;

  async function targetOf(req: GatewayRequest, logger: Logger): Promise<Target | "not_found" | "unavailable"> {
    const path = parseOriginPath(req.url ?? "");
    const type = path && mediaTypeOf(path.file[path.file.length - 1]!);
    if (!path || !type) return "not_found";
    let current: string | undefined;
    try {
      current = await resolvePlayback(path.videoId);
    } catch (error) {
      logger.warn({ err: error, videoId: path.videoId }, "cannot tell which outputs of the video are current");
      return "unavailable";
    }
    if (current !== path.outputId) return "not_found";
    return { key: mediaKey(path.videoId, path.outputId, ...path.file), type, cacheControl: cacheControlOf(type, playlistMaxAgeSeconds) };
  }

  async function stream(res: GatewayResponse, target: Target, range: { start: number; end: number } | undefined, logger: Logger) {
    const result = await storage.get(target.key, range ? { range } : undefined);
    const served = result.range ?? { start: 0, end: result.info.size - 1 };
    const headers = objectHeaders(result.info, target.type, target.cacheControl, served.end - served.start + 1);
    if (result.range) headers["content-range"] = `bytes ${served.start}-${served.end}/${result.info.size}`;
    res.writeHead(result.range ? 206 : 200, headers);
    try {
      await pipeline(result.body, res);
    } catch (error) {
      // A player seeking away or a CDN cancelling a fetch closes mid-body; pipeline already destroyed both streams.
      const aborted = (error as NodeJS.ErrnoException).code === "ERR_STREAM_PREMATURE_CLOSE";
      logger[aborted ? "debug" : "warn"]({ err: error, key: target.key }, "response body ended early");
    }
  }

  async function serve(req: GatewayRequest, res: GatewayResponse, method: "GET" | "HEAD", logger: Logger): Promise<void> {
    const target = await targetOf(req, logger);
    if (target === "not_found") return sendStatus(res, method, 404);
    if (target === "unavailable") return sendStatus(res, method, 503);
    try {
      const object = await storage.head(target.key);
      if (!object) return sendStatus(res, method, 404);
      const plan = planAnswer(method, req.headers, object);
      if (plan.status === 304) {
        res.writeHead(304, validatorHeaders(object, target.cacheControl));
        res.end();
        return;
      }
      if (plan.status === 416) return sendStatus(res, method, 416, { "content-range": `bytes */${object.size}`, "accept-ranges": "bytes" });
      if (method === "HEAD") {
        res.writeHead(200, objectHeaders(object, target.type, target.cacheControl, object.size));
        res.end();
        return;
      }
      return await stream(res, target, plan.status === 206 ? plan.range : undefined, logger);
    } catch (error) {
      // Deleted between head and get (the video was deleted or re-transcoded): gone like any other missing file.
      if (StorageError.is(error, "not_found")) return sendStatus(res, method, 404);
      if (StorageError.is(error, "unavailable")) {
        logger.warn({ err: error, key: target.key }, "storage unavailable");
        return sendStatus(res, method, 503);
      }
      throw error;
    }
  }

  return {
    name: "origin",
    prefix: ORIGIN_PREFIX,
    async handle(req, res, { logger }) {
      const method = req.method;
      if (method !== "GET" && method !== "HEAD") return sendStatus(res, method, 405, { allow: "GET, HEAD" });
      await serve(req, res, method, logger);
    },
  };
}

import { createHash } from "node:crypto";
import { buffer } from "node:stream/consumers";
import { pipeline } from "node:stream/promises";
import { MPD_NAME, withSubtitleSets } from "@kino/dash";
import type { Logger } from "@kino/platform";
import type { PlaybackTokens } from "@kino/playback-tokens";
import { mediaKey, StorageError, type Storage } from "@kino/storage";
import { captionKey } from "../captions/caption-key.ts";
import type { GatewayRequest, GatewayResponse, HttpRoute } from "../http/http-route.ts";
import { planAnswer } from "./answer-plan.ts";
import { mediaTypeOf, type MediaType } from "./media-types.ts";
import { cacheControlOf, objectHeaders, restrictedCacheControlOf, sendStatus, validatorHeaders } from "./origin-responses.ts";
import { ORIGIN_PREFIX, parseOriginPath } from "./origin-path.ts";
import { decidePlayback, type PlaybackRefusal } from "./playback-access.ts";
import type { Playable, PlaybackResolver } from "./playable.ts";
import { captionPlaylist, withSubtitles } from "./subtitle-playlists.ts";

export interface OriginRouteOptions {
  storage: Storage;
  resolvePlayback: PlaybackResolver;
  /** Checks the tokens of signed URLs. Without it every signed URL is refused, so only public videos play. */
  tokens?: Pick<PlaybackTokens, "verify">;
  /** Lifetime of playlists in shared caches; default 10 s. Segments, init files and posters never change. */
  playlistMaxAgeSeconds?: number;
}

interface Target {
  key: string;
  type: MediaType;
  cacheControl: string;
  /** What is served instead of the stored bytes: a master with its subtitles group, a caption track's playlist. */
  render?: (stored: Buffer) => string;
}

const PLAYLIST = mediaTypeOf("index.m3u8")!;

/**
 * `captions/<language>.m3u8` (made here) and `captions/<language>.vtt` (the
 * stored track) of a video's current captions; undefined for anything else.
 * A track is replaced in place, so it is cached like a playlist, never as
 * immutable.
 */
function captionTarget(videoId: string, file: readonly string[], answer: Playable, cacheControl: (type: MediaType) => string): Target | undefined {
  const match = file.length === 2 ? /^([A-Za-z0-9-]+)\.(m3u8|vtt)$/.exec(file[1]!) : null;
  const caption = match && answer.captions?.find((c) => c.language === match[1]);
  if (!match || !caption) return undefined;
  const key = captionKey(videoId, caption.language);
  if (match[2] === "vtt") return { key, type: mediaTypeOf("track.vtt")!, cacheControl: cacheControl(PLAYLIST) };
  return { key, type: PLAYLIST, cacheControl: cacheControl(PLAYLIST), render: () => captionPlaylist(caption.language, answer.durationSeconds ?? 0) };
}

type Refusal = PlaybackRefusal;

/**
 * Serves `/hls/<videoId>/<outputId>[/~<token>]/<file>` from
 * `media/<videoId>/<outputId>/` with the headers a CDN and a player need.
 * Only the attempt the catalog names as current is served, so an abandoned
 * attempt's outputs, or a video that is not playable (READY, or PROCESSING
 * with a first rung published), answer 404 like any path that is not a
 * known file. A playable video's master playlist is republished as rungs
 * land; its short playlist max-age lets players and CDNs see the new one. Who may play is the video's visibility and the
 * URL's token (see packages/playback-tokens/README.md); a refusal is 403.
 */
export function createOriginRoute(options: OriginRouteOptions): HttpRoute {
  const { storage, resolvePlayback, tokens } = options;
  const playlistMaxAgeSeconds = options.playlistMaxAgeSeconds ?? 10;

  async function targetOf(req: GatewayRequest, logger: Logger): Promise<Target | Refusal> {
    const path = parseOriginPath(req.url ?? "");
    const type = path && mediaTypeOf(path.file[path.file.length - 1]!);
    if (!path || !type) return "not_found";
    const decision = await decidePlayback(path, { resolvePlayback, tokens }, logger);
    if (typeof decision === "string") return decision;
    const { playable: answer, grant } = decision;
    const cacheControl = (of: MediaType) =>
      answer.visibility === "public"
        ? cacheControlOf(of, playlistMaxAgeSeconds)
        : restrictedCacheControlOf(of, playlistMaxAgeSeconds, grant!.expiresAt - Date.now() / 1000);
    // A protected video has no MPD (it cannot describe whole-segment AES-128); none is served, even one left in storage.
    if (answer.contentProtected && path.file.length === 1 && path.file[0] === MPD_NAME) return "not_found";
    if (path.file[0] === "captions") return captionTarget(path.videoId, path.file, answer, cacheControl) ?? "not_found";
    const target: Target = { key: mediaKey(path.videoId, path.outputId, ...path.file), type, cacheControl: cacheControl(type) };
    // The master and the MPD change when captions do; they are playlists, so their short max-age already says so.
    if (path.file.length === 1 && path.file[0] === "master.m3u8" && answer.captions?.length) {
      const captions = answer.captions;
      target.render = (stored) => withSubtitles(stored.toString("utf8"), captions);
    }
    if (path.file.length === 1 && path.file[0] === MPD_NAME && answer.captions?.length) {
      const subtitles = answer.captions.map((c) => ({ language: c.language, label: c.label, uri: `captions/${c.language}.vtt` }));
      target.render = (stored) => withSubtitleSets(stored.toString("utf8"), subtitles);
    }
    return target;
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

  /** A rendered playlist, with validators of its own bytes: conditionals and ranges as for a stored file. */
  async function serveRendered(req: GatewayRequest, res: GatewayResponse, method: "GET" | "HEAD", target: Target & Required<Pick<Target, "render">>) {
    const stored = await storage.get(target.key);
    const bytes = Buffer.from(target.render(await buffer(stored.body)), "utf8");
    const object = { ...stored.info, size: bytes.length, etag: `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"` };
    const plan = planAnswer(method, req.headers, object);
    if (plan.status === 304) {
      res.writeHead(304, validatorHeaders(object, target.cacheControl));
      res.end();
      return;
    }
    if (plan.status === 416) return sendStatus(res, method, 416, { "content-range": `bytes */${object.size}`, "accept-ranges": "bytes" });
    const range = plan.status === 206 ? plan.range : { start: 0, end: bytes.length - 1 };
    const headers = objectHeaders(object, target.type, target.cacheControl, range.end - range.start + 1);
    if (plan.status === 206) headers["content-range"] = `bytes ${range.start}-${range.end}/${object.size}`;
    res.writeHead(plan.status, headers);
    if (method === "HEAD") res.end();
    else res.end(bytes.subarray(range.start, range.end + 1));
  }

  async function serve(req: GatewayRequest, res: GatewayResponse, method: "GET" | "HEAD", logger: Logger): Promise<void> {
    const target = await targetOf(req, logger);
    if (target === "not_found") return sendStatus(res, method, 404);
    if (target === "forbidden") return sendStatus(res, method, 403);
    if (target === "unavailable") return sendStatus(res, method, 503);
    try {
      const object = await storage.head(target.key);
      if (!object) return sendStatus(res, method, 404);
      if (target.render) return await serveRendered(req, res, method, { ...target, render: target.render });
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

import { createHash } from "node:crypto";
import { buffer } from "node:stream/consumers";
import { pipeline } from "node:stream/promises";
import { MPD_NAME, withSubtitleSets } from "@kino/dash";
import type { PlaybackGrant, PlaybackTokens } from "@kino/playback-tokens";
import { mediaKey, StorageError, type Storage } from "@kino/storage";
import { captionKey } from "../captions/caption-key.ts";
import type { GatewayRequest, GatewayResponse, HttpRoute, RouteContext } from "../http/http-route.ts";
import { planAnswer } from "./answer-plan.ts";
import { mediaTypeOf, type MediaType } from "./media-types.ts";
import { cacheControlOf, objectHeaders, restrictedCacheControlOf, sendStatus, validatorHeaders } from "./origin-responses.ts";
import { ORIGIN_PREFIX, parseOriginPath, type OriginPath } from "./origin-path.ts";
import { decidePlayback, type PlaybackRefusal } from "./playback-access.ts";
import type { Playable, PlaybackResolver } from "./playable.ts";
import { captionPlaylist, withSubtitles } from "./subtitle-playlists.ts";
import { cacheSlotOf, type CachedFile, type CacheSlot, type OriginFileCache } from "./origin-file-cache.ts";
import { downloadTargetOf, forgetStaleDownloadAnswer } from "./download-target.ts";

export interface OriginRouteOptions {
  storage: Storage;
  resolvePlayback: PlaybackResolver;
  /** Checks the tokens of signed URLs. Without it every signed URL is refused, so only public videos play. */
  tokens?: Pick<PlaybackTokens, "verify">;
  /** Lifetime of playlists in shared caches; default 10 s. Segments, init files and posters never change. */
  playlistMaxAgeSeconds?: number;
  /** Copies of hot files in memory; without it every request reads storage. */
  cache?: OriginFileCache;
}

interface Target {
  key: string;
  type: MediaType;
  cacheControl: string;
  /** What is served instead of the stored bytes: a master with its subtitles group, a caption track's playlist. */
  render?: (stored: Buffer) => string;
  /** Where the cache keeps a copy: set for the output's own files, never for caption tracks (replaced in place, outside it). */
  slot?: CacheSlot;
  /** Sent with every answer of the file (the download's Content-Disposition). */
  headers?: Record<string, string>;
}

const PLAYLIST = mediaTypeOf("index.m3u8")!;

/** A request target's parse: the file it names under media/, its type and storage key. */
interface Named {
  path: OriginPath;
  type: MediaType;
  key: string;
  slot?: CacheSlot;
}
const MAX_NAMED_TARGETS = 10_000;

/** The storage key of the file a path names; undefined for a name no key can have (too long), which is then not found. */
function keyOf(path: OriginPath): string | undefined {
  try {
    return mediaKey(path.videoId, path.outputId, ...path.file);
  } catch (error) {
    if (StorageError.is(error, "invalid_key")) return undefined;
    throw error;
  }
}

/**
 * `captions/<language>.m3u8` (made here) and `captions/<language>.vtt` (the
 * stored track) of a video's current captions; undefined for anything else.
 * A track is replaced in place, so it is cached like a playlist, never as
 * immutable.
 */
function captionTarget(videoId: string, file: readonly string[], answer: Playable, playlistCacheControl: string): Target | undefined {
  const match = file.length === 2 ? /^([A-Za-z0-9-]+)\.(m3u8|vtt)$/.exec(file[1]!) : null;
  const caption = match && answer.captions?.find((c) => c.language === match[1]);
  if (!match || !caption) return undefined;
  const key = captionKey(videoId, caption.language);
  if (match[2] === "vtt") return { key, type: mediaTypeOf("track.vtt")!, cacheControl: playlistCacheControl };
  return { key, type: PLAYLIST, cacheControl: playlistCacheControl, render: () => captionPlaylist(caption.language, answer.durationSeconds ?? 0) };
}

type Refusal = PlaybackRefusal;

/** Cache-Control of a file of a video: public files by type, others never past their URL's grant. */
function cacheControlFor(of: MediaType, answer: Playable, grant: PlaybackGrant | undefined, playlistMaxAgeSeconds: number): string {
  return answer.visibility === "public"
    ? cacheControlOf(of, playlistMaxAgeSeconds)
    : restrictedCacheControlOf(of, playlistMaxAgeSeconds, grant!.expiresAt - Date.now() / 1000);
}

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
  const { storage, resolvePlayback, tokens, cache } = options;
  // Keys a request is collecting a copy of right now.
  const filling = new Set<string>();
  const playlistMaxAgeSeconds = options.playlistMaxAgeSeconds ?? 10;
  const access = { resolvePlayback, tokens };

  // What each request target names, worked out once: players ask for the same playlists and segments over and over.
  const named = new Map<string, Named | null>();
  function nameOf(url: string): Named | undefined {
    const queryAt = url.indexOf("?");
    const target = queryAt === -1 ? url : url.slice(0, queryAt);
    const known = named.get(target);
    if (known !== undefined) return known ?? undefined;
    const path = parseOriginPath(target);
    const type = path && mediaTypeOf(path.file[path.file.length - 1]!);
    const key = path && type ? keyOf(path) : undefined;
    const found = path && type && key ? { path, type, key } : undefined;
    // Bounded: junk targets (a scanner's) must not grow it without end.
    if (named.size >= MAX_NAMED_TARGETS) named.clear();
    named.set(target, found ?? null);
    return found;
  }

  async function targetOf(req: GatewayRequest, context: RouteContext): Promise<Target | Refusal> {
    const name = nameOf(req.url ?? "");
    if (!name) return "not_found";
    const { path, type } = name;
    let decision = await decidePlayback(path, access, context);
    if (typeof decision !== "string" && forgetStaleDownloadAnswer(path, decision.playable, resolvePlayback)) decision = await decidePlayback(path, access, context);
    if (typeof decision === "string") return decision;
    const { playable: answer, grant } = decision;
    // A protected video has no MPD (it cannot describe whole-segment AES-128); none is served, even one left in storage.
    if (answer.contentProtected && path.file.length === 1 && path.file[0] === MPD_NAME) return "not_found";
    if (path.file[0] === "captions") return captionTarget(path.videoId, path.file, answer, cacheControlFor(PLAYLIST, answer, grant, playlistMaxAgeSeconds)) ?? "not_found";
    const download = downloadTargetOf(path, answer, type, cacheControlFor(type, answer, grant, playlistMaxAgeSeconds));
    if (download) return download;
    const key = name.key;
    const target: Target = { key, type, cacheControl: cacheControlFor(type, answer, grant, playlistMaxAgeSeconds), ...(cache ? { slot: (name.slot ??= cacheSlotOf(key, path.file)) } : {}) };
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

  /** Streams the object from storage; a whole GET of a file the cache would keep is collected on the way and kept once complete. */
  async function stream(res: GatewayResponse, target: Target, range: { start: number; end: number } | undefined, context: RouteContext) {
    const result = await storage.get(target.key, range ? { range } : undefined);
    const served = result.range ?? { start: 0, end: result.info.size - 1 };
    const headers = objectHeaders(result.info, target.type, target.cacheControl, served.end - served.start + 1);
    if (result.range) headers["content-range"] = `bytes ${served.start}-${served.end}/${result.info.size}`;
    res.writeHead(result.range ? 206 : 200, headers);
    const slot = target.slot;
    // One request collects a copy; the others of a cold file's stampede only stream, so memory does not jump with them.
    const collect = cache !== undefined && slot !== undefined && !range && !filling.has(target.key) && cache.admits(slot, result.info.size);
    if (collect) {
      filling.add(target.key);
      const chunks: Buffer[] = [];
      result.body.on("data", (chunk: Buffer) => chunks.push(chunk));
      // Kept once storage has given every byte, before the response's last bytes leave, so the player's next request finds
      // it. Only a copy of every byte the ETag stands for: a body cut short ends with an error, never "end".
      result.body.once("end", () => {
        const bytes = Buffer.concat(chunks);
        if (bytes.length === result.info.size) cache!.store(slot!, { info: result.info, bytes });
      });
    }
    try {
      await pipeline(result.body, res);
    } catch (error) {
      // A player seeking away or a CDN cancelling a fetch closes mid-body; pipeline already destroyed both streams.
      const aborted = (error as NodeJS.ErrnoException).code === "ERR_STREAM_PREMATURE_CLOSE";
      context.logger[aborted ? "debug" : "warn"]({ err: error, key: target.key }, "response body ended early");
    } finally {
      if (collect) filling.delete(target.key);
    }
  }

  /** Headers of a whole answer of a copy: made once per copy and Cache-Control, as building them is a measurable share of a hit. */
  function wholeAnswerHeaders(target: Target, copy: CachedFile) {
    const made = copy.wholeAnswer;
    if (made?.cacheControl === target.cacheControl) return made.headers;
    const headers = objectHeaders(copy.info, target.type, target.cacheControl, copy.bytes.length);
    copy.wholeAnswer = { cacheControl: target.cacheControl, headers };
    return headers;
  }

  /** Answers from bytes in memory (a cached copy, a rendered playlist): conditionals and ranges as for a stored file. */
  function answerBytes(req: GatewayRequest, res: GatewayResponse, method: "GET" | "HEAD", target: Target, object: CachedFile["info"], bytes: Buffer, copy?: CachedFile) {
    const plan = planAnswer(method, req.headers, object);
    if (plan.status === 304) {
      res.writeHead(304, validatorHeaders(object, target.cacheControl));
      res.end();
      return;
    }
    if (plan.status === 416) return sendStatus(res, method, 416, { "content-range": `bytes */${object.size}`, "accept-ranges": "bytes" });
    if (plan.status === 200 && copy) {
      res.writeHead(200, wholeAnswerHeaders(target, copy));
      if (method === "HEAD") res.end();
      else res.end(bytes);
      return;
    }
    const range = plan.status === 206 ? plan.range : { start: 0, end: bytes.length - 1 };
    const headers = objectHeaders(object, target.type, target.cacheControl, range.end - range.start + 1);
    if (plan.status === 206) headers["content-range"] = `bytes ${range.start}-${range.end}/${object.size}`;
    res.writeHead(plan.status, headers);
    if (method === "HEAD") res.end();
    else res.end(plan.status === 206 ? bytes.subarray(range.start, range.end + 1) : bytes);
  }

  /** The stored file, or what is rendered from it, with validators of the bytes actually sent. */
  function answerFile(req: GatewayRequest, res: GatewayResponse, method: "GET" | "HEAD", target: Target, file: CachedFile) {
    if (!target.render) return answerBytes(req, res, method, target, file.info, file.bytes, file);
    const bytes = Buffer.from(target.render(file.bytes), "utf8");
    const object = { ...file.info, size: bytes.length, etag: `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"` };
    answerBytes(req, res, method, target, object, bytes);
  }

  /** The cache's copy, checked against storage first when it is of a file that can change and its time is up. */
  async function copyOf(target: Target): Promise<CachedFile | undefined> {
    const slot = target.slot;
    const found = cache && slot ? cache.lookup(slot) : undefined;
    if (!found) return undefined;
    if (!found.revalidate) return found.file;
    const current = await storage.head(target.key);
    if (current && current.etag === found.file.info.etag && current.size === found.file.info.size) {
      cache!.confirm(slot!);
      return found.file;
    }
    cache!.forget(target.key);
    return undefined;
  }

  /** A file read whole before it is answered (one rendered into a playlist); kept as stored when the cache would. */
  async function readWhole(target: Target): Promise<CachedFile> {
    const stored = await storage.get(target.key);
    const file = { info: stored.info, bytes: await buffer(stored.body) };
    if (cache && target.slot && cache.admits(target.slot, file.bytes.length)) cache.store(target.slot, file);
    return file;
  }

  async function serve(req: GatewayRequest, res: GatewayResponse, method: "GET" | "HEAD", context: RouteContext): Promise<void> {
    const target = await targetOf(req, context);
    if (target === "not_found") return sendStatus(res, method, 404);
    if (target === "forbidden") return sendStatus(res, method, 403);
    if (target === "unavailable") return sendStatus(res, method, 503);
    for (const [name, value] of Object.entries(target.headers ?? {})) res.setHeader(name, value);
    try {
      const copy = await copyOf(target);
      if (copy) return answerFile(req, res, method, target, copy);
      const object = await storage.head(target.key);
      if (!object) return sendStatus(res, method, 404);
      if (target.render) return answerFile(req, res, method, target, await readWhole(target));
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
      return await stream(res, target, plan.status === 206 ? plan.range : undefined, context);
    } catch (error) {
      // Deleted between head and get (the video was deleted or re-transcoded): gone like any other missing file.
      if (StorageError.is(error, "not_found")) return sendStatus(res, method, 404);
      if (StorageError.is(error, "unavailable")) {
        context.logger.warn({ err: error, key: target.key }, "storage unavailable");
        return sendStatus(res, method, 503);
      }
      throw error;
    }
  }

  return {
    name: "origin",
    prefix: ORIGIN_PREFIX,
    async handle(req, res, context) {
      const method = req.method;
      if (method !== "GET" && method !== "HEAD") return sendStatus(res, method, 405, { allow: "GET, HEAD" });
      await serve(req, res, method, context);
    },
  };
}

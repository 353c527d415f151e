import { buffer } from "node:stream/consumers";
import { KinoError } from "@kino/platform";
import type { PlaybackTokens } from "@kino/playback-tokens";
import { mediaKey, StorageError, type Storage } from "@kino/storage";
import type { GatewayRequest, GatewayResponse, HttpRoute, RouteContext } from "../http/http-route.ts";
import { sendStatus } from "../origin/origin-responses.ts";
import { ORIGIN_PREFIX, parseOriginPath, TOKEN_MARKER, type OriginPath } from "../origin/origin-path.ts";
import { decidePlayback } from "../origin/playback-access.ts";
import type { PlaybackResolver } from "../origin/playable.ts";
import { renderThumbnail } from "./render-thumbnail.ts";
import { createRenderLimit } from "./render-limit.ts";
import { segmentAt, variantFor } from "./rendition-segments.ts";
import { parseThumbnailQuery, thumbnailSecond, type ThumbnailRequest } from "./thumbnail-request.ts";

export interface ThumbnailRouteOptions {
  storage: Storage;
  resolvePlayback: PlaybackResolver;
  tokens?: Pick<PlaybackTokens, "verify">;
  /** Serves the stored thumbnail, with its Range, validators and cache headers: the HLS origin. */
  origin: HttpRoute;
  /** Renders running at once across the gateway; default 2. */
  concurrentRenders?: number;
  /** Renders waiting for a turn before more are refused with 503; default 32. */
  queuedRenders?: number;
}

const THUMBNAIL = /^\/hls\/[^?]*\/thumbnail\.jpg$/;

async function text(storage: Storage, key: string): Promise<string> {
  return (await buffer((await storage.get(key)).body)).toString("utf8");
}

/**
 * `GET /hls/<video>/<output>[/~<token>]/thumbnail.jpg?time=&width=`, as Mux
 * has it: a frame of the video at a whole second (clamped to its length)
 * and one of a few widths, so each video has a bounded number of them.
 * The first request renders it with ffmpeg from one segment of the
 * rendition nearest in width and stores it as
 * `thumbnails/<width>/<second>.jpg` of the output; concurrent requests for
 * it share that render, and renders are bounded gateway-wide. Who may have
 * it is decided exactly as for the stream (token, visibility, current
 * output) before any work; the origin then serves the stored file, so its
 * cache headers are the stream's (immutable for a public video).
 */
export function createThumbnailRoute(options: ThumbnailRouteOptions): HttpRoute {
  const { storage, tokens } = options;
  const limited = createRenderLimit(options.concurrentRenders ?? 2, options.queuedRenders ?? 32);
  const inFlight = new Map<string, Promise<void>>();

  const statusOf = { not_found: 404, forbidden: 403, unavailable: 503 } as const;
  /** The origin's own playback rules, before anything is read or rendered: a status to refuse with, or undefined. */
  async function access(path: OriginPath, context: RouteContext): Promise<number | undefined> {
    const decision = await decidePlayback(path, { resolvePlayback: options.resolvePlayback, tokens }, context);
    if (typeof decision === "string") return statusOf[decision];
    // Its segments are encrypted: no frame is rendered from them here (see the README's content protection).
    return decision.playable.contentProtected ? 404 : undefined;
  }

  const keyOf = (path: OriginPath, width: number, second: number) => mediaKey(path.videoId, path.outputId, "thumbnails", String(width), `${second}.jpg`);

  async function render(path: OriginPath, wanted: ThumbnailRequest): Promise<{ second: number; rendered: boolean } | undefined> {
    const master = await text(storage, mediaKey(path.videoId, path.outputId, "master.m3u8"));
    const variant = variantFor(master, wanted.width);
    if (!variant) return undefined;
    const playlist = await text(storage, mediaKey(path.videoId, path.outputId, ...(variant.split("/") as [string, ...string[]])));
    const { durationSeconds } = segmentAt(variant, playlist, 0);
    const second = thumbnailSecond(wanted.time, durationSeconds);
    const key = keyOf(path, wanted.width, second);
    if (await storage.head(key)) return { second, rendered: false };
    const pending = inFlight.get(key);
    if (pending) return pending.then(() => ({ second, rendered: false }));
    const work = limited(async () => {
      const { at } = segmentAt(variant, playlist, second);
      if (!at) throw new KinoError("not_found", "no segment holds that time");
      const file = async (uri: string) => buffer((await storage.get(mediaKey(path.videoId, path.outputId, ...(uri.split("/") as [string, ...string[]])))).body);
      const [init, segment] = await Promise.all([file(at.init), file(at.segment)]);
      const offset = Math.min(Math.max(0, second - at.start), Math.max(0, at.duration - 0.05));
      await storage.put(key, await renderThumbnail(init, segment, offset, wanted.width), { contentType: "image/jpeg" });
    }).finally(() => inFlight.delete(key));
    inFlight.set(key, work);
    await work;
    return { second, rendered: true };
  }

  async function handle(req: GatewayRequest, res: GatewayResponse, context: RouteContext): Promise<void> {
    const method = req.method;
    const path = parseOriginPath(req.url ?? "");
    if (!path) return sendStatus(res, method, 404);
    const wanted = parseThumbnailQuery(req.url ?? "");
    if (typeof wanted === "string") {
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
      res.end(`${wanted}\n`);
      return;
    }
    const refused = await access(path, context);
    if (refused) return sendStatus(res, method, refused);
    let made;
    try {
      // A time within the video is its own whole second: stored ones are served without reading the playlists.
      const direct = Math.floor(wanted.time);
      made = (await storage.head(keyOf(path, wanted.width, direct))) ? { second: direct, rendered: false } : await render(path, wanted);
    } catch (error) {
      if (StorageError.is(error, "not_found") || KinoError.is(error, "not_found")) return sendStatus(res, method, 404);
      if (StorageError.is(error, "unavailable") || KinoError.is(error, "unavailable")) {
        context.logger.warn({ err: error, videoId: path.videoId }, "thumbnail not made");
        return sendStatus(res, method, 503);
      }
      throw error;
    }
    if (!made) return sendStatus(res, method, 404);
    // Tells operators (and tests) whether this request paid for a render.
    res.setHeader("x-kino-thumbnail", made.rendered ? "rendered" : "stored");
    const token = path.token === undefined ? "" : `${TOKEN_MARKER}${path.token}/`;
    req.url = `${ORIGIN_PREFIX}${path.videoId}/${path.outputId}/${token}thumbnails/${wanted.width}/${made.second}.jpg`;
    await options.origin.handle(req, res, context);
  }

  return {
    name: "thumbnails",
    prefix: ORIGIN_PREFIX,
    accepts: (method, path) => (method === "GET" || method === "HEAD") && THUMBNAIL.test(path),
    handle,
  };
}

import { CONTENT_KEY_NAME } from "@kino/media";
import type { GrpcClient } from "@kino/grpc";
import type { PlaybackTokens } from "@kino/playback-tokens";
import type { ContentKeyService } from "@kino/proto/catalog/v1";
import type { HttpRoute } from "../http/http-route.ts";
import { sendStatus } from "./origin-responses.ts";
import { ORIGIN_PREFIX, parseOriginPath } from "./origin-path.ts";
import { decidePlayback } from "./playback-access.ts";
import type { PlaybackResolver } from "./playable.ts";

export interface ContentKeyRouteOptions {
  keys: Pick<GrpcClient<typeof ContentKeyService>, "getContentKey">;
  resolvePlayback: PlaybackResolver;
  tokens?: Pick<PlaybackTokens, "verify">;
  timeoutMs: number;
}

const KEY_PATH = new RegExp(`^/hls/[^?]*/${CONTENT_KEY_NAME.replace(".", "\\.")}$`);
const statusOf = { not_found: 404, forbidden: 403, unavailable: 503 } as const;

/**
 * `GET /hls/<video>/<output>/~<token>/content.key`: a protected video's
 * AES-128 key, the URI its media playlists name. Only with a valid playback
 * token for this very video, whatever its visibility (a PUBLIC protected
 * video too: that is what protection means), else 403; then the stream's
 * own rules (visibility, current output). Answered `private, no-store` so
 * no shared cache (CDN, the edge config) keeps or serves it. The key comes
 * from the catalog each time and is never logged.
 */
export function createContentKeyRoute(options: ContentKeyRouteOptions): HttpRoute {
  return {
    name: "content-key",
    prefix: ORIGIN_PREFIX,
    accepts: (method, path) => (method === "GET" || method === "HEAD") && KEY_PATH.test(path),
    async handle(req, res, context) {
      const method = req.method;
      const noStore = { "cache-control": "private, no-store" };
      const path = parseOriginPath(req.url ?? "");
      if (!path || path.file.length !== 1) return sendStatus(res, method, 404, noStore);
      if (path.token === undefined) return sendStatus(res, method, 403, noStore);
      const decision = await decidePlayback(path, { resolvePlayback: options.resolvePlayback, tokens: options.tokens }, context);
      if (typeof decision === "string") return sendStatus(res, method, statusOf[decision], noStore);
      if (!decision.playable.contentProtected) return sendStatus(res, method, 404, noStore);
      let key: Uint8Array;
      try {
        key = (await options.keys.getContentKey({ videoId: path.videoId }, { timeoutMs: options.timeoutMs })).key;
      } catch (error) {
        context.logger.warn({ err: error, videoId: path.videoId }, "could not get a content key from the catalog");
        return sendStatus(res, method, 503, noStore);
      }
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(key.length), ...noStore });
      if (method === "HEAD") res.end();
      else res.end(Buffer.from(key));
    },
  };
}

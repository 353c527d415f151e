import type { PlaybackTokens } from "@kino/playback-tokens";
import type { HttpRoute } from "../http/http-route.ts";
import { sendStatus } from "./origin-responses.ts";
import { ORIGIN_PREFIX, parseOriginPath } from "./origin-path.ts";
import { decidePlayback } from "./playback-access.ts";
import type { PlaybackResolver } from "./playable.ts";

/** The file name of the question; no output file starts with a dot, so it names none. */
export const PLAYBACK_ACCESS_NAME = ".playback-access";

export interface EdgeAccessRouteOptions {
  resolvePlayback: PlaybackResolver;
  tokens?: Pick<PlaybackTokens, "verify">;
}

/**
 * `GET /hls/<video>/<output>[/~<token>]/.playback-access`: may this URL's
 * token (or no token) play this output now? 204 yes, 403 no (also for an
 * output that is not, or no longer, the video's current one: nginx's
 * auth_request knows only 2xx, 401 and 403), 503 when the catalog cannot be
 * asked. The edge configuration (deploy/nginx) asks it before serving a
 * copy it keeps once per video for every token, and remembers the answer
 * for a few seconds per token. The same decision as the stream's own.
 */
export function createEdgeAccessRoute(options: EdgeAccessRouteOptions): HttpRoute {
  const suffix = `/${PLAYBACK_ACCESS_NAME}`;
  return {
    name: "edge-access",
    prefix: ORIGIN_PREFIX,
    accepts: (method, path) => (method === "GET" || method === "HEAD") && path.endsWith(suffix),
    async handle(req, res, context) {
      const method = req.method;
      const noStore = { "cache-control": "private, no-store" };
      const path = parseOriginPath(req.url ?? "");
      if (!path || path.file.length !== 1) return sendStatus(res, method, 403, noStore);
      const decision = await decidePlayback(path, { resolvePlayback: options.resolvePlayback, tokens: options.tokens }, context);
      if (decision === "unavailable") return sendStatus(res, method, 503, noStore);
      if (typeof decision === "string") return sendStatus(res, method, 403, noStore);
      res.writeHead(204, noStore);
      res.end();
    },
  };
}

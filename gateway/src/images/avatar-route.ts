import { Readable } from "node:stream";
import { isOwnerId, type Logger } from "@kino/platform";
import { imageKey, StorageError, type Storage } from "@kino/storage";
import type { GatewayRequest, GatewayResponse, HttpRoute, RouteContext } from "../http/http-route.ts";
import { avatarSizes, renderAvatars, type AvatarSize } from "./avatar-images.ts";
import { answerJson, answerText as answer, readLimitedBody } from "../http/small-answers.ts";
import { answerImageError } from "./image-http.ts";

export const AVATARS_PREFIX = "/avatars/";

export interface AvatarRouteOptions {
  storage: Storage;
  /** Largest upload accepted, in bytes. */
  maxBytes: number;
  logger: Logger;
}

const avatarKey = (userId: string, size: AvatarSize) => imageKey(userId, `avatar-${size}.webp`);

/**
 * Avatars: `PUT /avatars/me` (the image as the body) and `DELETE /avatars/me`
 * for the signed-in caller; `GET /avatars/<user id>/<256|64>.webp` for
 * everyone. What is stored and served is always Kino's own re-encoding.
 */
export function createAvatarRoute(options: AvatarRouteOptions): HttpRoute {
  async function changeOwn(req: GatewayRequest, res: GatewayResponse, context: RouteContext): Promise<void> {
    const caller = await context.caller({ requireCsrf: true });
    if (caller.kind !== "user") return answer(res, 401, "sign in to change your avatar");
    if (req.method === "DELETE") {
      for (const size of avatarSizes) await options.storage.delete(avatarKey(caller.userId, size));
      return answer(res, 204, "");
    }
    const body = await readLimitedBody(req, options.maxBytes);
    if (!body) return answer(res, 413, `an avatar may be at most ${options.maxBytes} bytes`, { connection: "close" });
    const rendered = await renderAvatars(body);
    for (const [size, bytes] of rendered) await options.storage.put(avatarKey(caller.userId, size), bytes, { contentType: "image/webp" });
    context.logger.info({ userId: caller.userId, bytes: body.length }, "avatar replaced");
    answerJson(res, 200, { urls: Object.fromEntries(avatarSizes.map((size) => [size, `${AVATARS_PREFIX}${caller.userId}/${size}.webp`])) });
  }

  async function serve(userId: string, file: string, req: GatewayRequest, res: GatewayResponse): Promise<void> {
    const size = Number(/^(\d+)\.webp$/.exec(file)?.[1]) as AvatarSize;
    if (!isOwnerId(userId) || !avatarSizes.includes(size)) return answer(res, 404, "not found");
    try {
      const { info, body } = await options.storage.get(avatarKey(userId, size));
      // Short-lived: a replaced avatar shows within a minute, even through a CDN.
      res.writeHead(200, { "content-type": "image/webp", "content-length": String(info.size), etag: info.etag, "cache-control": "public, max-age=60", "x-content-type-options": "nosniff" });
      if (req.method === "HEAD") {
        body.destroy();
        res.end();
        return;
      }
      (body as Readable).pipe(res as NodeJS.WritableStream);
    } catch (error) {
      if (error instanceof StorageError && error.code === "not_found") return answer(res, 404, "no avatar");
      throw error;
    }
  }

  return {
    name: "avatars",
    prefix: AVATARS_PREFIX,
    async handle(req, res, context) {
      const path = (req.url ?? "/").split("?")[0]!.slice(AVATARS_PREFIX.length);
      try {
        if (path === "me") {
          if (req.method !== "PUT" && req.method !== "DELETE") return answer(res, 405, "PUT or DELETE", { allow: "PUT, DELETE" });
          return await changeOwn(req, res, context);
        }
        const [userId, file, ...rest] = path.split("/");
        if (rest.length > 0 || !userId || !file) return answer(res, 404, "not found");
        if (req.method !== "GET" && req.method !== "HEAD") return answer(res, 405, "GET or HEAD", { allow: "GET, HEAD" });
        return await serve(userId, file, req, res);
      } catch (error) {
        if (!answerImageError(res, error)) throw error;
      }
    },
  };
}

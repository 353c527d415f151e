import { resolve, sep } from "node:path";
import type { Logger } from "@kino/platform";
import type { GatewayRequest, GatewayResponse, HttpRoute } from "../http/http-route.ts";
import { isAppRequest } from "./app-paths.ts";
import { contentSecurityPolicy } from "./content-security-policy.ts";
import { createStaticFiles, type StaticFile } from "./static-files.ts";

export interface WebRouteOptions {
  /** The built app (web/dist). */
  dir: string;
  publicBaseUrl: string;
  collectorUrl: string | undefined;
  logger: Logger;
}

const immutable = "public, max-age=31536000, immutable";
const notBuiltHint = "the web app is not built: run pnpm --filter @kino/web build (kino up does), or point KINO_WEB_DIR at a build\n";

const escapeAttribute = (value: string) => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * The web app at "/": Vite's hashed assets cached for a year, index.html
 * revalidated every time, and index.html for every other GET that is not a
 * reserved or RPC path (the app routes in the browser). Mount it last.
 */
export function createWebRoute(options: WebRouteOptions): HttpRoute {
  const dir = resolve(options.dir);
  const indexPath = resolve(dir, "index.html");
  const collectorMeta = `<meta name="kino-collector-url" content="${escapeAttribute(options.collectorUrl ?? "")}" />`;
  const load = createStaticFiles((path, body) =>
    path === indexPath ? Buffer.from(body.toString("utf8").replace(/<meta name="kino-collector-url"[^>]*>/, collectorMeta)) : body,
  );
  const securityHeaders = {
    "content-security-policy": contentSecurityPolicy({ publicBaseUrl: options.publicBaseUrl, collectorUrl: options.collectorUrl }),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
  };
  let warned = false;

  const send = (req: GatewayRequest, res: GatewayResponse, file: StaticFile, cacheControl: string) => {
    const headers: Record<string, string> = { ...securityHeaders, "content-type": file.contentType, "cache-control": cacheControl, etag: file.etag };
    if (file.gzip) headers["vary"] = "Accept-Encoding";
    if (req.headers["if-none-match"] === file.etag) {
      res.writeHead(304, headers);
      return void res.end();
    }
    const gzip = file.gzip && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzip ? file.gzip! : file.body;
    if (gzip) headers["content-encoding"] = "gzip";
    headers["content-length"] = String(body.length);
    res.writeHead(200, headers);
    if (req.method === "HEAD") res.end();
    else res.end(body);
  };
  const notFound = (res: GatewayResponse, text: string) => {
    res.writeHead(404, { ...securityHeaders, "content-type": "text/plain; charset=utf-8", "cache-control": "no-cache" });
    res.end(text);
  };

  return {
    name: "web",
    prefix: "/",
    accepts: isAppRequest,
    async handle(req, res) {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      let segments: string[];
      try {
        segments = path.split("/").filter(Boolean).map(decodeURIComponent);
      } catch {
        return notFound(res, "not found\n");
      }
      // No dotfiles (.vite/manifest.json), no traversal, no separators smuggled inside a segment.
      if (segments.some((s) => s.startsWith(".") || s.includes("/") || s.includes("\\") || s.includes("\0"))) return notFound(res, "not found\n");
      const target = resolve(dir, ...segments);
      if (segments.length > 0 && target !== indexPath) {
        const file = target.startsWith(`${dir}${sep}`) ? await load(target) : undefined;
        if (file) return send(req, res, file, segments[0] === "assets" ? immutable : "no-cache");
        // A missing file (an old hashed asset, a typo) is a 404, never the app's HTML under a script's URL.
        if (segments[0] === "assets" || /\.[a-z0-9]+$/i.test(segments.at(-1) ?? "")) return notFound(res, "not found\n");
      }
      const index = await load(indexPath);
      if (!index) {
        if (!warned) options.logger.warn({ dir }, "the web app is not built: / answers 404");
        warned = true;
        return notFound(res, notBuiltHint);
      }
      send(req, res, index, "no-cache");
    },
  };
}

import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { gzipSync } from "node:zlib";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
  ".webmanifest": "application/manifest+json",
};
const compressible = new Set([".html", ".js", ".css", ".svg", ".json", ".txt", ".webmanifest"]);

export interface StaticFile {
  body: Buffer;
  /** Set for text types worth compressing, made once per version of the file. */
  gzip: Buffer | undefined;
  contentType: string;
  etag: string;
}

/**
 * The built app's files, read once per version (a rebuild under a running
 * gateway is picked up by size and mtime) and gzipped once: the whole build
 * is a few hundred kilobytes. `transform` rewrites a file's text before it
 * is cached (index.html gets the gateway's settings).
 */
export function createStaticFiles(transform: (path: string, body: Buffer) => Buffer = (_path, body) => body) {
  const cache = new Map<string, { version: string; file: StaticFile }>();
  return async function load(path: string): Promise<StaticFile | undefined> {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const version = `${info.size}-${info.mtimeMs}`;
    const cached = cache.get(path);
    if (cached?.version === version) return cached.file;
    const extension = extname(path).toLowerCase();
    const body = transform(path, await readFile(path));
    const file: StaticFile = {
      body,
      gzip: compressible.has(extension) ? gzipSync(body) : undefined,
      contentType: contentTypes[extension] ?? "application/octet-stream",
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
    };
    cache.set(path, { version, file });
    return file;
  };
}

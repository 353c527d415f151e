import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { extname, join } from "node:path";
import { buildBundle } from "../../scripts/build-bundle.ts";

const hlsScriptPath = createRequire(import.meta.url).resolve("hls.js/dist/hls.min.js");

const contentTypes: Record<string, string> = {
  ".mp4": "video/mp4",
  ".m4s": "video/iso.segment",
  ".m3u8": "application/vnd.apple.mpegurl",
  ".ts": "video/mp2t",
};

/** Holds the first response of one media file after `afterBytes` until releaseStall(), so playback outruns the download. */
export interface Stall {
  file: string;
  afterBytes: number;
}

export interface PageServerOptions {
  /** The test page's <body>; the SDK bundle and hls.js are loaded before it. */
  body: string;
  /** Directory served under /media/. */
  mediaDir: string;
  stall?: Stall;
}

const page = (body: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>kino player sdk test</title>
<script src="/kino-analytics.js"></script><script src="/hls.js"></script></head>
<body>${body}</body></html>`;

/**
 * The player page's origin (a port of its own, so beacons to the collector
 * are cross-origin as in production): the page, the freshly built SDK
 * bundle, hls.js and media files with Range support.
 */
export class PageServer {
  private stallUsed = false;
  private release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));

  private constructor(
    private readonly server: Server,
    private readonly options: PageServerOptions,
    private readonly bundlePath: string,
  ) {}

  static async start(options: PageServerOptions): Promise<PageServer> {
    const bundlePath = await buildBundle();
    const server = createServer();
    const instance = new PageServer(server, options, bundlePath);
    server.on("request", (req, res) => void instance.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return instance;
  }

  get url(): string {
    const address = this.server.address();
    if (!address || typeof address === "string") throw new Error("page server is not listening");
    return `http://127.0.0.1:${address.port}`;
  }

  /** Lets the held response of the stalled file go on. */
  releaseStall(): void {
    this.release();
  }

  close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/") return void res.writeHead(200, { "Content-Type": "text/html" }).end(page(this.options.body));
    if (path === "/kino-analytics.js") return this.sendFile(req, res, this.bundlePath, "text/javascript");
    if (path === "/hls.js") return this.sendFile(req, res, hlsScriptPath, "text/javascript");
    const name = /^\/media\/([\w.-]+)$/.exec(path)?.[1];
    if (name) return this.sendFile(req, res, join(this.options.mediaDir, name), contentTypes[extname(name)] ?? "application/octet-stream", name);
    res.writeHead(404).end();
  }

  private async sendFile(req: IncomingMessage, res: ServerResponse, file: string, contentType: string, mediaName?: string): Promise<void> {
    const size = await stat(file).then((s) => s.size, () => undefined);
    if (size === undefined) return void res.writeHead(404).end();
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start >= size) return void res.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
    const headers = { "Content-Type": contentType, "Content-Length": String(end - start + 1), "Accept-Ranges": "bytes", "Cache-Control": "no-store" };
    if (range) res.writeHead(206, { ...headers, "Content-Range": `bytes ${start}-${end}/${size}` });
    else res.writeHead(200, headers);
    const stall = this.options.stall;
    if (stall && mediaName === stall.file && start === 0 && !this.stallUsed) {
      this.stallUsed = true;
      await pipe(file, res, start, Math.min(end, stall.afterBytes - 1), false);
      await this.released;
      if (stall.afterBytes <= end) await pipe(file, res, stall.afterBytes, end, true);
      else res.end();
      return;
    }
    await pipe(file, res, start, end, true);
  }
}

function pipe(file: string, res: ServerResponse, start: number, end: number, finish: boolean): Promise<void> {
  return new Promise((resolve) => {
    const stream = createReadStream(file, { start, end });
    stream.on("data", (chunk) => res.write(chunk));
    stream.on("error", () => {
      res.destroy();
      resolve();
    });
    stream.on("end", () => {
      if (finish) res.end();
      resolve();
    });
    res.once("close", () => {
      stream.destroy();
      resolve();
    });
  });
}

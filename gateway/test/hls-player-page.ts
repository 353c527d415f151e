import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { CACHE_STATUS_HEADER } from "@kino/testkit";
import type HlsPlayer from "hls.js";
import type { Browser } from "playwright-core";

const hlsScriptPath = createRequire(import.meta.url).resolve("hls.js/dist/hls.min.js");

const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>kino origin test player</title><script src="/hls.js"></script></head>
<body><video id="video" muted playsinline></video></body></html>`;

/** A player page on an origin of its own (its own port), so every fetch of the video is cross-origin as on a customer's site. */
export interface PlayerPage {
  url: string;
  close(): Promise<void>;
}

export async function startPlayerPage(): Promise<PlayerPage> {
  const script = await readFile(hlsScriptPath);
  const server: Server = createServer((req, res) => {
    if (req.url === "/") return void res.writeHead(200, { "content-type": "text/html" }).end(page);
    if (req.url === "/hls.js") return void res.writeHead(200, { "content-type": "text/javascript" }).end(script);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface FetchedByPlayer {
  url: string;
  status: number;
  cacheStatus: string | undefined;
  allowOrigin: string | undefined;
}

export interface PlayOutcome {
  /** How far the video played. */
  currentTime: number;
  /** hls.js's fatal error (type:details), if one ended playback. */
  fatal: string | undefined;
  /** What reached the browser from `src`'s server, in order. */
  fetched: FetchedByPlayer[];
}

/** Plays `src` with hls.js in a fresh browser context (empty browser cache) until `seconds` have played or hls.js gives up. */
export async function playWithHlsJs(browser: Browser, pageUrl: string, src: string, seconds: number): Promise<PlayOutcome> {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    const server = new URL(src).origin;
    const fetched: Promise<FetchedByPlayer>[] = [];
    tab.on("response", (response) => {
      if (!response.url().startsWith(server)) return;
      fetched.push(
        response.allHeaders().then((headers) => ({
          url: response.url(),
          status: response.status(),
          cacheStatus: headers[CACHE_STATUS_HEADER],
          allowOrigin: headers["access-control-allow-origin"],
        })),
      );
    });
    await tab.goto(pageUrl);
    await tab.evaluate((source) => {
      const video = document.getElementById("video") as HTMLVideoElement;
      const Hls = (window as unknown as { Hls: typeof HlsPlayer }).Hls;
      const hls = new Hls();
      const state = { fatal: undefined as string | undefined };
      Object.assign(window, { playState: state });
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (data.fatal) state.fatal = `${data.type}:${data.details}`;
      });
      hls.loadSource(source);
      hls.attachMedia(video);
      void video.play();
    }, src);
    const read = () =>
      tab.evaluate(() => ({
        currentTime: (document.getElementById("video") as HTMLVideoElement).currentTime,
        fatal: (window as unknown as { playState: { fatal: string | undefined } }).playState.fatal,
      }));
    await tab
      .waitForFunction(
        (target) =>
          (document.getElementById("video") as HTMLVideoElement).currentTime >= target ||
          (window as unknown as { playState: { fatal?: string } }).playState.fatal !== undefined,
        seconds,
        { timeout: 20_000 },
      )
      .catch(() => undefined);
    const outcome = await read();
    return { ...outcome, fetched: await Promise.all(fetched) };
  } finally {
    await context.close();
  }
}

import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";

export type DashPlayerName = "shaka" | "dashjs";
export const DASH_PLAYERS: readonly DashPlayerName[] = ["shaka", "dashjs"];

const require = createRequire(import.meta.url);
const scripts: Record<DashPlayerName, string> = {
  shaka: require.resolve("shaka-player/dist/shaka-player.compiled.js"),
  // The "require" condition of dashjs's exports is its UMD build, which sets window.dashjs.
  dashjs: require.resolve("dashjs"),
};

// Each page plays the MPD named by its `src` query parameter and collects what the player calls an error.
const starts: Record<DashPlayerName, string> = {
  shaka: `shaka.polyfill.installAll();
const player = new shaka.Player();
player.addEventListener("error", (e) => window.errors.push(String(e.detail && e.detail.code)));
player.attach(video).then(() => player.load(src)).then(() => video.play()).catch((e) => window.errors.push(String(e.code || e)));`,
  dashjs: `const player = dashjs.MediaPlayer().create();
player.on(dashjs.MediaPlayer.events.ERROR, (e) => window.errors.push(JSON.stringify(e.error)));
player.initialize(video, src, true);`,
};

const page = (player: DashPlayerName) => `<!doctype html><html><body><video id="v" muted playsinline></video>
<script src="/${player}.js"></script>
<script>
window.errors = [];
const video = document.getElementById("v");
const src = new URLSearchParams(location.search).get("src");
${starts[player]}
</script></body></html>`;

/** Shaka Player and dash.js pages on an origin of their own: `/<player>.html?src=<mpd url>`. */
export interface DashPlayerPages {
  url: string;
  close(): Promise<void>;
}

export async function startDashPlayerPages(): Promise<DashPlayerPages> {
  const bodies = new Map<string, { type: string; body: string | Buffer }>();
  for (const player of DASH_PLAYERS) {
    bodies.set(`/${player}.html`, { type: "text/html", body: page(player) });
    bodies.set(`/${player}.js`, { type: "text/javascript", body: await readFile(scripts[player]) });
  }
  const server: Server = createServer((req, res) => {
    const found = bodies.get(new URL(req.url ?? "/", "http://x").pathname);
    if (!found) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": found.type }).end(found.body);
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

export interface DashPlayOutcome {
  currentTime: number;
  /** What the player and the page reported; empty when it played cleanly. */
  errors: string[];
  /** Every URL the page fetched from `mpdUrl`'s origin, in order. */
  fetched: string[];
}

/** Plays `mpdUrl` with `player` in a fresh browser context until `seconds` have played or an error is reported. */
export async function playDash(browser: Browser, pages: DashPlayerPages, player: DashPlayerName, mpdUrl: string, seconds: number): Promise<DashPlayOutcome> {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    const pageErrors: string[] = [];
    const fetched: string[] = [];
    const origin = new URL(mpdUrl).origin;
    tab.on("pageerror", (error) => pageErrors.push(error.message));
    tab.on("response", (response) => {
      if (response.url().startsWith(origin)) fetched.push(response.url());
    });
    await tab.goto(`${pages.url}/${player}.html?src=${encodeURIComponent(mpdUrl)}`);
    await tab
      .waitForFunction(
        (target) => (document.getElementById("v") as HTMLVideoElement).currentTime > target || (window as unknown as { errors: string[] }).errors.length > 0,
        seconds,
        { timeout: 60_000 },
      )
      .catch(() => undefined);
    const state = await tab.evaluate(() => ({
      currentTime: (document.getElementById("v") as HTMLVideoElement).currentTime,
      errors: (window as unknown as { errors: string[] }).errors,
    }));
    return { currentTime: state.currentTime, errors: [...state.errors, ...pageErrors], fetched };
  } finally {
    await context.close();
  }
}

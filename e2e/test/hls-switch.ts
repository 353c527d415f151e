import type HlsPlayer from "hls.js";
import type { Browser } from "playwright-core";
import type { PlayerPage } from "../../gateway/test/hls-player-page.ts";

/** Plays `src` with hls.js, forces a switch to the other level once a second has played, and reports how it went once `until` seconds have played (or it failed). */
export async function playAcrossSwitch(browser: Browser, player: PlayerPage, src: string, until = 4.5): Promise<{ currentTime: number; fatal?: string; switchedTo: number[]; levels: number }> {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    await tab.goto(player.url);
    await tab.evaluate((source) => {
      const Hls = (window as unknown as { Hls: typeof HlsPlayer }).Hls;
      const video = document.getElementById("video") as HTMLVideoElement;
      const hls = new Hls({ startLevel: 0, capLevelToPlayerSize: false });
      const state = { fatal: undefined as string | undefined, switchedTo: [] as number[], levels: 0, forced: false };
      Object.assign(window, { playState: state });
      hls.on(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal) state.fatal = `${data.type}:${data.details}`;
      });
      hls.on(Hls.Events.MANIFEST_PARSED, (_e, data) => (state.levels = data.levels.length));
      hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => state.switchedTo.push(data.level));
      video.addEventListener("timeupdate", () => {
        if (state.forced || video.currentTime < 1) return;
        state.forced = true;
        hls.currentLevel = hls.currentLevel === 0 ? 1 : 0;
      });
      hls.loadSource(source);
      hls.attachMedia(video);
      void video.play();
    }, src);
    await tab
      .waitForFunction(
        (seconds) => {
          const state = (window as unknown as { playState: { fatal?: string; switchedTo: number[] } }).playState;
          return state.fatal !== undefined || ((document.getElementById("video") as HTMLVideoElement).currentTime >= seconds && new Set(state.switchedTo).size >= 2);
        },
        until,
        { timeout: 30_000 + until * 1000 },
      )
      .catch(() => undefined);
    return await tab.evaluate(() => ({
      currentTime: (document.getElementById("video") as HTMLVideoElement).currentTime,
      ...(window as unknown as { playState: { fatal?: string; switchedTo: number[]; levels: number } }).playState,
    }));
  } finally {
    await context.close();
  }
}


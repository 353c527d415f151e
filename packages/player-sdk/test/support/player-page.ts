import type { Page } from "playwright-core";

export interface PlayOptions {
  collectorUrl: string;
  videoId: string;
  src: string;
  heartbeatMs?: number;
  flushIntervalMs?: number;
  /** Retries after 200–400 ms, 400–800 ms, … instead of seconds. */
  fastRetries?: boolean;
}

/**
 * On a page with <video id="video">: attaches the SDK bundle (window.kino),
 * records the element's playing/waiting/seeked events (window.seen) and
 * starts playback of `src`.
 */
export async function attachAndPlay(page: Page, options: PlayOptions): Promise<void> {
  await page.evaluate(({ collectorUrl, videoId, src, heartbeatMs, flushIntervalMs, fastRetries }) => {
    const video = document.getElementById("video") as HTMLVideoElement;
    const seen: string[] = [];
    for (const type of ["playing", "waiting", "seeked"]) video.addEventListener(type, () => seen.push(type));
    const backoff = fastRetries ? { baseMs: 400, maxMs: 1600, random: Math.random } : undefined;
    Object.assign(window, { seen, kino: KinoAnalytics.attach(video, { collectorUrl, videoId, heartbeatMs, flushIntervalMs, backoff }) });
    video.src = src;
    void video.play();
  }, options);
}

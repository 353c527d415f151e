import { attachKinoAnalytics } from "@kino/player-sdk";
import Hls from "hls.js";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { collectorUrl } from "./collector-url.ts";
import { followWithAudio } from "./companion-audio.ts";
import { QualityMenu } from "./quality-menu.tsx";

/**
 * hls.js with ABR on a native <video> (its controls are keyboard-operable),
 * the audio group's default track beside it (companion-audio.ts),
 * the player SDK attached when a collector is configured, and a
 * "kino:first-frame" performance mark when the first frame is shown.
 */
export function Player({ videoId, hlsUrl, posterUrl, title, onElement }: { videoId: string; hlsUrl: string; posterUrl: string; title: string; onElement?: (element: HTMLVideoElement) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [hls, setHls] = useState<Hls>();
  const [fatal, setFatal] = useState<string>();

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    onElement?.(element);
    const markFirstFrame = () => performance.mark("kino:first-frame");
    if (typeof (element as Partial<HTMLVideoElement>).requestVideoFrameCallback === "function") element.requestVideoFrameCallback(markFirstFrame);
    else element.addEventListener("loadeddata", markFirstFrame, { once: true });

    let player: Hls | undefined;
    let stopAudio: (() => void) | undefined;
    if (Hls.isSupported()) {
      player = new Hls({ capLevelToPlayerSize: true });
      player.on(Hls.Events.ERROR, (_event, data) => {
        if (data.fatal) setFatal(`${data.type}: ${data.details}`);
      });
      player.on(Hls.Events.MANIFEST_LOADED, (_event, data) => {
        const track = data.audioTracks.find((t) => t.default) ?? data.audioTracks[0];
        if (track?.url) stopAudio = followWithAudio(element, track.url);
      });
      player.loadSource(hlsUrl);
      player.attachMedia(element);
      setHls(player);
    } else {
      element.src = hlsUrl; // Safari plays HLS itself
    }
    const url = collectorUrl();
    const analytics = url ? attachKinoAnalytics(element, { collectorUrl: url, videoId, ...(player ? { hls: player } : {}) }) : undefined;
    // Autoplay may be refused without a user gesture; the play button is there.
    element.play().catch(() => undefined);
    return () => {
      analytics?.detach();
      stopAudio?.();
      player?.destroy();
    };
  }, [videoId, hlsUrl]);

  const keys = (event: KeyboardEvent<HTMLDivElement>) => {
    const element = video.current;
    if (!element || event.target instanceof HTMLSelectElement) return;
    const actions: Record<string, () => void> = {
      k: () => void (element.paused ? element.play() : element.pause()),
      j: () => (element.currentTime = Math.max(0, element.currentTime - 10)),
      l: () => (element.currentTime = element.currentTime + 10),
      m: () => (element.muted = !element.muted),
      f: () => void (document.fullscreenElement ? document.exitFullscreen() : element.requestFullscreen()),
    };
    const action = actions[event.key.toLowerCase()];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  return (
    <div className="player" onKeyDown={keys}>
      <video ref={video} controls playsInline preload="auto" poster={posterUrl || undefined} aria-label={`Video: ${title}`} />
      <div className="player-bar">
        {hls ? <QualityMenu hls={hls} /> : null}
        <small className="hint">Keys: k play/pause, j/l back/forward 10 s, m mute, f full screen.</small>
      </div>
      {fatal ? (
        <p className="error" role="alert">
          Playback stopped: {fatal}
        </p>
      ) : null}
    </div>
  );
}

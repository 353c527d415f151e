import { EngagementService } from "@kino/proto/catalog/v1";
import { createClient } from "@connectrpc/connect";
import { useEffect, useState } from "react";
import { transport } from "../../api/transport.ts";
import { formatDuration } from "../../ui/format.ts";

const engagement = createClient(EngagementService, transport);
// Often enough that a closed tab loses little, rarely enough to be no load.
const saveEveryMs = 5000;

/**
 * Starts a signed-in viewer where they left the video (unless that was the
 * end), and records the position while they watch, on pause and on leaving.
 * Answers what it did, for the page to say.
 */
export function useResumePosition(videoId: string, element: HTMLVideoElement | undefined, signedIn: boolean): string | undefined {
  const [resumed, setResumed] = useState<string>();
  useEffect(() => {
    if (!element || !signedIn) return;
    // Read while the media is loaded: tearing the player down empties the element (currentTime 0) before this effect ends.
    let position = 0;
    const track = () => {
      if (element.readyState >= 1) position = element.currentTime;
    };
    let lastSaved = -1;
    const save = () => {
      track();
      const positionMs = Math.floor(position * 1000);
      if (positionMs === lastSaved) return;
      lastSaved = positionMs;
      void engagement.setPlaybackPosition({ videoId, positionMs: BigInt(positionMs) }).catch(() => undefined);
    };
    const abort = new AbortController();
    void engagement.getPlaybackPosition({ videoId }, { signal: abort.signal }).then(
      ({ positionMs }) => {
        const seconds = Number(positionMs) / 1000;
        const seek = () => {
          // Within the last two seconds means it was watched to the end: start again from the top.
          if (seconds <= 0 || seconds >= element.duration - 2) return;
          element.currentTime = seconds;
          setResumed(`Resumed at ${formatDuration(seconds)}`);
        };
        if (element.readyState >= 1) seek();
        else element.addEventListener("loadedmetadata", seek, { once: true });
      },
      () => undefined, // no saved position: play from the start
    );
    const timer = setInterval(() => {
      if (!element.paused) save();
    }, saveEveryMs);
    element.addEventListener("timeupdate", track);
    element.addEventListener("pause", save);
    return () => {
      abort.abort();
      clearInterval(timer);
      element.removeEventListener("timeupdate", track);
      element.removeEventListener("pause", save);
      save();
    };
  }, [videoId, element, signedIn]);
  return resumed;
}

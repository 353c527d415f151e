import type { Payload, ViewCounters } from "./beacon-payload.ts";
import { bufferAheadMs, droppedFrames, hlsEvents, mediaErrorCode, playheadMs, type HlsErrorLike, type HlsLike, type MediaLike } from "./media-like.ts";

type PlaybackState = "idle" | "starting" | "playing" | "paused" | "rebuffering" | "seeking" | "ended";

interface Rendition {
  name: string;
  bitrateBps: number;
  width: number;
  height: number;
}

export interface ViewTrackerOptions {
  media: MediaLike;
  hls?: HlsLike;
  emit: (payload: Payload) => void;
  now: () => number;
  playerName: string;
  playerVersion: string;
}

export interface ViewTracker {
  /** Emits a heartbeat with the playhead, rendition, buffer and running counters, once the view has started. */
  heartbeat(): void;
  /** Emits view_end (when the view started) and stops listening; later calls do nothing. */
  end(): void;
}

const maxErrorMessageLength = 1000;

/**
 * Turns media element (and hls.js) events into the beacons of one view:
 * view_start on play intent, playing (with the startup time on the first),
 * rebuffer_start/end for stalls outside seeks, seek, rendition_change, error,
 * heartbeat and view_end, keeping watch and stall time as running counters.
 */
export function trackView(options: ViewTrackerOptions): ViewTracker {
  const { media, hls, emit, now } = options;
  let state: PlaybackState = "idle";
  let started = false;
  let firstFrame = false;
  let viewStartedAt = 0;
  let countedUntil = now();
  let rebufferStartedAt = 0;
  let seekFromMs = 0;
  let lastPlayheadMs = playheadMs(media);
  let rendition: Rendition = { name: "", bitrateBps: 0, width: 0, height: 0 };
  const droppedBefore = droppedFrames(media);
  const totals = { watchTimeMs: 0, rebufferTimeMs: 0, playedBits: 0 };

  // Adds the time since the last call to the counter of the current state.
  const settle = () => {
    const at = now();
    const elapsed = Math.max(0, at - countedUntil);
    countedUntil = at;
    if (state === "playing") {
      totals.watchTimeMs += elapsed;
      totals.playedBits += (rendition.bitrateBps * elapsed) / 1000;
    } else if (state === "rebuffering") {
      totals.rebufferTimeMs += elapsed;
    }
  };
  const enter = (next: PlaybackState) => {
    settle();
    state = next;
  };
  const counters = (): ViewCounters => ({
    watchTimeMs: Math.round(totals.watchTimeMs),
    rebufferTimeMs: Math.round(totals.rebufferTimeMs),
    playedBits: Math.round(totals.playedBits),
    droppedFrames: Math.max(0, droppedFrames(media) - droppedBefore),
  });
  const startView = () => {
    if (started) return;
    started = true;
    viewStartedAt = now();
    emit({ case: "viewStart", value: { autoplay: media.autoplay, playerName: options.playerName, playerVersion: options.playerVersion } });
  };
  const endRebuffer = () => {
    settle();
    emit({ case: "rebufferEnd", value: { playheadMs: playheadMs(media), durationMs: Math.round(now() - rebufferStartedAt) } });
  };
  const switchRendition = (next: Rendition) => {
    if (next.width === rendition.width && next.height === rendition.height && next.bitrateBps === rendition.bitrateBps) return;
    settle();
    rendition = next;
    if (started && state !== "ended") {
      emit({ case: "renditionChange", value: { playheadMs: playheadMs(media), rendition: next.name, bitrateBps: next.bitrateBps, width: next.width, height: next.height } });
    }
  };
  const reportError = (code: string, message: string) => {
    startView();
    emit({ case: "error", value: { playheadMs: playheadMs(media), code, message: message.slice(0, maxErrorMessageLength), fatal: true } });
  };

  const mediaListeners: Record<string, () => void> = {
    play() {
      startView();
      if (!firstFrame) enter("starting");
    },
    playing() {
      startView();
      lastPlayheadMs = playheadMs(media);
      if (!firstFrame) {
        firstFrame = true;
        enter("playing");
        // At least 1 ms: 0 means "not the first frame" on the wire.
        emit({ case: "playing", value: { playheadMs: lastPlayheadMs, startupTimeMs: Math.max(1, Math.round(now() - viewStartedAt)) } });
        return;
      }
      const resumed = state === "paused";
      if (state === "rebuffering") endRebuffer();
      enter("playing");
      if (resumed) emit({ case: "playing", value: { playheadMs: lastPlayheadMs, startupTimeMs: 0 } });
    },
    pause() {
      if (state === "rebuffering") endRebuffer();
      if (state !== "seeking") enter("paused");
    },
    waiting() {
      if (state !== "playing" || media.seeking) return;
      enter("rebuffering");
      rebufferStartedAt = now();
      emit({ case: "rebufferStart", value: { playheadMs: playheadMs(media) } });
    },
    seeking() {
      if (state === "seeking") return;
      if (state === "rebuffering") endRebuffer();
      seekFromMs = lastPlayheadMs;
      enter("seeking");
    },
    seeked() {
      if (state !== "seeking") return;
      lastPlayheadMs = playheadMs(media);
      if (started) emit({ case: "seek", value: { fromMs: seekFromMs, toMs: lastPlayheadMs } });
      if (!firstFrame) enter(media.paused ? "idle" : "starting");
      else enter(media.paused ? "paused" : "playing");
    },
    timeupdate() {
      if (!media.seeking) lastPlayheadMs = playheadMs(media);
    },
    error() {
      reportError(mediaErrorCode(media.error?.code), media.error?.message ?? "");
    },
  };
  // Without hls.js the element's size is the only sign of a rendition switch.
  if (!hls) {
    mediaListeners.resize = () => {
      if (media.videoWidth === 0 || media.videoHeight === 0) return;
      switchRendition({ name: `${media.videoHeight}p`, bitrateBps: 0, width: media.videoWidth, height: media.videoHeight });
    };
  }
  const onLevelSwitched = (_event: string, data: { level: number }) => {
    const level = hls?.levels[data.level];
    if (!level) return;
    const height = level.height ?? 0;
    switchRendition({ name: level.name || (height ? `${height}p` : `level ${data.level}`), bitrateBps: level.bitrate, width: level.width ?? 0, height });
  };
  const onHlsError = (_event: string, data: HlsErrorLike) => {
    if (data.fatal) reportError(data.details, `${data.type}: ${data.error?.message ?? data.details}`);
  };

  for (const [type, listener] of Object.entries(mediaListeners)) media.addEventListener(type, listener);
  hls?.on(hlsEvents.levelSwitched, onLevelSwitched);
  hls?.on(hlsEvents.error, onHlsError);

  // Attached to a player that is already going: the view starts now, its startup time unknown.
  if (!media.paused) {
    startView();
    if (media.currentTime > 0) {
      firstFrame = true;
      enter("playing");
      emit({ case: "playing", value: { playheadMs: playheadMs(media), startupTimeMs: 0 } });
    } else {
      enter("starting");
    }
  }

  return {
    heartbeat() {
      if (!started || state === "ended") return;
      settle();
      emit({
        case: "heartbeat",
        value: { playheadMs: playheadMs(media), rendition: rendition.name, bitrateBps: rendition.bitrateBps, bufferLengthMs: bufferAheadMs(media), counters: counters() },
      });
    },
    end() {
      if (state === "ended") return;
      for (const [type, listener] of Object.entries(mediaListeners)) media.removeEventListener(type, listener);
      hls?.off(hlsEvents.levelSwitched, onLevelSwitched);
      hls?.off(hlsEvents.error, onHlsError);
      if (started) {
        if (state === "rebuffering") endRebuffer();
        settle();
        emit({ case: "viewEnd", value: { playheadMs: playheadMs(media), counters: counters() } });
      }
      enter("ended");
    },
  };
}

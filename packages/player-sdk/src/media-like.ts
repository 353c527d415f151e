/** What the SDK reads from an HTMLVideoElement: a structural type so tests can drive a fake one. */
export interface MediaLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
  readonly currentTime: number;
  readonly paused: boolean;
  readonly seeking: boolean;
  readonly autoplay: boolean;
  readonly videoWidth: number;
  readonly videoHeight: number;
  readonly buffered: { readonly length: number; start(index: number): number; end(index: number): number };
  readonly error: { readonly code: number; readonly message: string } | null;
  getVideoPlaybackQuality?(): { droppedVideoFrames: number };
}

export interface HlsLevelLike {
  bitrate: number;
  width?: number;
  height?: number;
  name?: string;
}

/** The part of an hls.js instance the SDK uses: its levels and two events. */
export interface HlsLike {
  readonly levels: readonly HlsLevelLike[];
  on(event: typeof hlsEvents.levelSwitched, listener: (event: string, data: { level: number }) => void): void;
  on(event: typeof hlsEvents.error, listener: (event: string, data: HlsErrorLike) => void): void;
  off(event: typeof hlsEvents.levelSwitched, listener: (event: string, data: { level: number }) => void): void;
  off(event: typeof hlsEvents.error, listener: (event: string, data: HlsErrorLike) => void): void;
}

export interface HlsErrorLike {
  type: string;
  details: string;
  fatal: boolean;
  error?: { message: string };
}

/** The values of Hls.Events.LEVEL_SWITCHED and Hls.Events.ERROR, so the SDK needs no import of hls.js. */
export const hlsEvents = { levelSwitched: "hlsLevelSwitched", error: "hlsError" } as const;

/** Media seconds as whole milliseconds. */
export function playheadMs(media: MediaLike): number {
  return Math.max(0, Math.round(media.currentTime * 1000));
}

/** Media buffered ahead of the playhead, in the buffered range that holds it. */
export function bufferAheadMs(media: MediaLike): number {
  const t = media.currentTime;
  for (let i = 0; i < media.buffered.length; i++) {
    // A playhead a hair before a range start (after a seek) still plays from it.
    if (media.buffered.start(i) <= t + 0.1 && t <= media.buffered.end(i)) return Math.round((media.buffered.end(i) - t) * 1000);
  }
  return 0;
}

export function droppedFrames(media: MediaLike): number {
  return media.getVideoPlaybackQuality?.().droppedVideoFrames ?? 0;
}

const mediaErrorCodes: Record<number, string> = {
  1: "MEDIA_ERR_ABORTED",
  2: "MEDIA_ERR_NETWORK",
  3: "MEDIA_ERR_DECODE",
  4: "MEDIA_ERR_SRC_NOT_SUPPORTED",
};

export function mediaErrorCode(code: number | undefined): string {
  return (code !== undefined && mediaErrorCodes[code]) || "MEDIA_ERR_UNKNOWN";
}

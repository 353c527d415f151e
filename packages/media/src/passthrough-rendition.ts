import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { AAC_LC_CODEC, audioTrackDir, finishAudioTrack, summariseAudioGroup, type AudioPlan, type FinishedAudioTrack } from "./audio-group.ts";
import { DEFAULT_SEGMENT_SECONDS, hlsOutputArgs } from "./ffmpeg-args.ts";
import { parseMediaPlaylist } from "./media-playlist.ts";
import type { PassthroughAudio } from "./passthrough.ts";
import type { ProbeResult } from "./probe-result.ts";
import type { FfmpegProgress } from "./progress.ts";
import { finishOutput, MEDIA_PLAYLIST_NAME, type FinishedRendition } from "./rendition.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { untrustedInputOptions } from "./untrusted-input.ts";

/** The passthrough rung's directory and rendition name. */
export const PASSTHROUGH_RUNG_NAME = "source";

export interface PassthroughOptions {
  input: string;
  probe: ProbeResult;
  /** The audio group's tracks (LadderPlan.audio), each made as `audio` says: copied or encoded alone. */
  tracks: readonly AudioPlan[];
  audio: readonly PassthroughAudio[];
  /** The rung lands in `<outDir>/source/`, the audio group in `<outDir>/audio/<track>/`. */
  outDir: string;
  /** Target segment length; segments are cut at the first source keyframe past each multiple. */
  segmentSeconds?: number;
  /** The source's keyframes (KeyframeScan.keyframes), to read exact segment start times from. */
  keyframes: readonly number[];
  ffmpegPath?: string;
  signal?: AbortSignal;
  onProgress?: (event: FfmpegProgress) => void;
}

export interface PassthroughRendition extends FinishedRendition {
  /**
   * Start time of every segment but the first, seconds on the clock of
   * -force_key_frames: the keyframes every encoded rung must have so that
   * it cuts its segments exactly there too.
   */
  boundaries: number[];
  /** The audio group, made once here and shared by every rung that follows. */
  audio: FinishedAudioTrack[];
}

function treatmentOf(track: AudioPlan, audio: readonly PassthroughAudio[]): PassthroughAudio {
  return audio.find((a) => a.streamIndex === track.streamIndex) ?? { mode: "encode", streamIndex: track.streamIndex };
}

/** argv of the remux: the source's H.264 copied into video-only CMAF segments, each audio track copied or encoded to AAC alone beside it. */
export function buildPassthroughCommand(options: Pick<PassthroughOptions, "input" | "probe" | "tracks" | "audio" | "outDir" | "segmentSeconds">): string[] {
  if (options.outDir.includes("%")) throw new RangeError(`output directory must not contain "%": ${options.outDir}`);
  const audioArgs = options.tracks.flatMap((track, i) =>
    treatmentOf(track, options.audio).mode === "copy"
      ? ["-map", `0:${track.streamIndex}`, `-c:a:${i}`, "copy"]
      : ["-map", `0:${track.streamIndex}`, `-c:a:${i}`, "aac", `-b:a:${i}`, String(track.bitrate), `-ac:a:${i}`, String(track.channels), `-ar:a:${i}`, String(track.sampleRate)],
  );
  const streamMap = [`v:0,name:${PASSTHROUGH_RUNG_NAME}`, ...options.tracks.map((track, i) => `a:${i},name:${audioTrackDir(track.name)}`)];
  return [
    "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats", "-progress", "pipe:1",
    ...untrustedInputOptions(), "-i", options.input,
    "-map", `0:${options.probe.video.index}`, "-c:v", "copy",
    ...audioArgs,
    ...hlsOutputArgs(options.outDir, options.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS, streamMap),
  ];
}

/** The keyframe nearest `seconds`: EXTINF durations are rounded, the keyframe times are exact. */
function nearest(keyframes: readonly number[], seconds: number): number {
  let best = keyframes[0] ?? seconds;
  for (const k of keyframes) if (Math.abs(k - seconds) < Math.abs(best - seconds)) best = k;
  return best;
}

/**
 * Remuxes a standard source (see assessPassthrough) into the passthrough
 * rung, with no re-encode: seconds of work for minutes of video. Returns
 * its rendition and where its segments start.
 */
export async function remuxPassthrough(options: PassthroughOptions): Promise<PassthroughRendition> {
  const { probe } = options;
  await runFfmpeg({
    args: buildPassthroughCommand(options),
    ffmpegPath: options.ffmpegPath,
    signal: options.signal,
    durationSeconds: probe.durationSeconds,
    onProgress: options.onProgress,
  });
  const audio = await Promise.all(
    options.tracks.map((track) => {
      const treatment = treatmentOf(track, options.audio);
      const written = treatment.mode === "copy" ? { codecs: treatment.codecs, channels: treatment.channels, sampleRate: treatment.sampleRate } : { codecs: AAC_LC_CODEC, channels: track.channels, sampleRate: track.sampleRate };
      return finishAudioTrack(options.outDir, track, written);
    }),
  );
  const finished = await finishOutput(
    options.outDir,
    { name: PASSTHROUGH_RUNG_NAME, width: probe.video.width, height: probe.video.height, frameRate: probe.video.frameRate ?? 0 },
    summariseAudioGroup(audio.map((a) => a.rendition)),
  );
  const playlist = parseMediaPlaylist(await readFile(join(options.outDir, PASSTHROUGH_RUNG_NAME, MEDIA_PLAYLIST_NAME), "utf8"));
  const boundaries: number[] = [];
  let start = options.keyframes[0] ?? 0;
  for (const segment of playlist.segments.slice(0, -1)) {
    start = nearest(options.keyframes, start + segment.durationSeconds);
    boundaries.push(start);
  }
  return { ...finished, boundaries, audio };
}

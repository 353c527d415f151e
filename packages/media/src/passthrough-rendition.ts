import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeAudioGroup, type AudioTreatment } from "./audio-alone.ts";
import { summariseAudioGroup, type AudioPlan, type FinishedAudioTrack } from "./audio-group.ts";
import { readAvcCodecString } from "./avc-codec-string.ts";
import { DEFAULT_SEGMENT_SECONDS } from "./ffmpeg-args.ts";
import { fragmentSplitter } from "./fragment-splitter.ts";
import type { KeyframeScan } from "./keyframes.ts";
import { renderMediaPlaylist } from "./media-playlist.ts";
import { planPassthroughSegments, plannedBandwidth } from "./passthrough-segments.ts";
import type { ProbeResult } from "./probe-result.ts";
import { INIT_SEGMENT_NAME, MEDIA_PLAYLIST_NAME, type FinishedRendition } from "./rendition.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { untrustedInputOptions } from "./untrusted-input.ts";

/** The passthrough rung's directory and rendition name. */
export const PASSTHROUGH_RUNG_NAME = "source";

export interface PassthroughOptions {
  input: string;
  probe: ProbeResult;
  /** The audio group's tracks (LadderPlan.audio), each made as `audio` says: copied or encoded alone. */
  tracks: readonly AudioPlan[];
  audio: readonly AudioTreatment[];
  /** The rung lands in `<outDir>/source/`, the audio group in `<outDir>/audio/<track>/`. */
  outDir: string;
  /** Target segment length; segments are cut at the first source keyframe past each multiple. */
  segmentSeconds?: number;
  /** The source's keyframes and GOP sizes: the segments are planned from them before the remux runs. */
  scan: KeyframeScan;
  ffmpegPath?: string;
  signal?: AbortSignal;
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

/** A passthrough being written: its rendition is known from the plan, its segments land one by one. */
export interface PassthroughRemux {
  /** As it will be once written: media playlist and bit rates come from the keyframe scan, not the files. */
  rendition: PassthroughRendition;
  /** Resolves once `file` (one of the rendition's or its audio's files) is completely written; rejects if the remux fails first. */
  written(file: string): Promise<void>;
  /** Settles when the remux does: resolved once every segment is written. */
  done: Promise<void>;
}

/** argv of the video remux: the source's H.264 copied, as fragmented MP4 on stdout with one fragment per keyframe. */
export function buildPassthroughVideoCommand(options: Pick<PassthroughOptions, "input" | "probe">): string[] {
  return [
    "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats",
    ...untrustedInputOptions(), "-i", options.input,
    "-map", `0:${options.probe.video.index}`, "-c:v", "copy",
    // Source tags (camera GPS, device names) must not leak into published media.
    "-map_metadata", "-1", "-map_chapters", "-1",
    "-f", "mp4", "-movflags", "empty_moov+default_base_moof+frag_keyframe+skip_trailer", "pipe:1",
  ];
}

const segmentName = (index: number) => `seg_${String(index).padStart(5, "0")}.m4s`;

/**
 * Starts remuxing a standard source (see assessPassthrough) into the
 * passthrough rung, with no re-encode. The segments are planned from the
 * keyframe scan, so the media playlist is written first and each segment
 * is reported as it lands: the rung can be published before the remux
 * ends. The audio group (copied, or encoded alone) and the init segment
 * are written before this resolves.
 */
export async function startPassthroughRemux(options: PassthroughOptions): Promise<PassthroughRemux> {
  const { probe, scan } = options;
  const frameRate = probe.video.frameRate ?? 0;
  const endSeconds = scan.lastFrameSeconds + (frameRate > 0 ? 1 / frameRate : 0);
  const segments = planPassthroughSegments(scan, endSeconds, options.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS);
  const dir = PASSTHROUGH_RUNG_NAME;
  await mkdir(join(options.outDir, dir), { recursive: true });
  const playlist = `${dir}/${MEDIA_PLAYLIST_NAME}`;
  await writeFile(join(options.outDir, playlist), renderMediaPlaylist(INIT_SEGMENT_NAME, segments.map((s, i) => ({ uri: segmentName(i), durationSeconds: s.durationSeconds }))));

  const landed = new Set<string>([playlist]);
  const waiting = new Map<string, { resolve: () => void; reject: (error: unknown) => void }[]>();
  let failure: { error: unknown } | undefined;
  const written = (file: string): Promise<void> => {
    if (landed.has(file)) return Promise.resolve();
    if (failure) return Promise.reject(failure.error);
    return new Promise((resolve, reject) => waiting.set(file, [...(waiting.get(file) ?? []), { resolve, reject }]));
  };
  const land = (file: string) => {
    landed.add(file);
    for (const w of waiting.get(file) ?? []) w.resolve();
    waiting.delete(file);
  };
  const fail = (error: unknown) => {
    failure ??= { error };
    for (const ws of waiting.values()) for (const w of ws) w.reject(failure.error);
    waiting.clear();
  };

  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const splitter = fragmentSplitter({
    dir: join(options.outDir, dir),
    initName: INIT_SEGMENT_NAME,
    segments: segments.map((s, i) => ({ name: segmentName(i), first: s.firstGop, fragments: s.gops })),
    samplesPerFragment: scan.gops.map((g) => g.frames),
    onWritten: (name) => land(`${dir}/${name}`),
  });
  const done = runFfmpeg({ args: buildPassthroughVideoCommand(options), ffmpegPath: options.ffmpegPath, signal, stdout: splitter }).then(
    () => {
      const missing = segments.findIndex((_, i) => !landed.has(`${dir}/${segmentName(i)}`));
      if (missing >= 0) throw new Error(`the passthrough remux ended without segment ${missing}`);
    },
  );
  done.catch(fail);

  try {
    const [audio] = await Promise.all([
      makeAudioGroup({ input: options.input, tracks: options.tracks, treatments: options.audio, outDir: options.outDir, segmentSeconds: options.segmentSeconds, ffmpegPath: options.ffmpegPath, signal }),
      written(`${dir}/${INIT_SEGMENT_NAME}`),
    ]);
    for (const file of audio.flatMap((a) => a.files)) land(file);
    const group = summariseAudioGroup(audio.map((a) => a.rendition));
    const videoCodec = await readAvcCodecString(join(options.outDir, dir, INIT_SEGMENT_NAME));
    const bandwidth = plannedBandwidth(segments);
    const rendition: PassthroughRendition = {
      rendition: {
        name: PASSTHROUGH_RUNG_NAME,
        width: probe.video.width,
        height: probe.video.height,
        frameRate,
        bandwidth: bandwidth.peak + (group?.bandwidth ?? 0),
        averageBandwidth: bandwidth.average + (group?.averageBandwidth ?? 0),
        codecs: group ? `${videoCodec},${group.codecs}` : videoCodec,
      },
      video: { codecs: videoCodec, bandwidth: bandwidth.peak, averageBandwidth: bandwidth.average },
      playlist,
      files: [playlist, `${dir}/${INIT_SEGMENT_NAME}`, ...segments.map((_, i) => `${dir}/${segmentName(i)}`)],
      segmentDurations: segments.map((s) => s.durationSeconds),
      boundaries: segments.slice(1).map((s) => s.startSeconds),
      audio,
    };
    return { rendition, written, done };
  } catch (error) {
    stop.abort(error);
    await done.catch(() => undefined);
    throw error;
  }
}

/** The whole passthrough, written: startPassthroughRemux awaited to its end. */
export async function remuxPassthrough(options: PassthroughOptions): Promise<PassthroughRendition> {
  const remux = await startPassthroughRemux(options);
  await remux.done;
  return remux.rendition;
}

import { makeAudioGroup, type AudioTreatment } from "./audio-alone.ts";
import { AAC_LC_CODEC, finishAudioTrack, summariseAudioGroup, type AudioPlan, type FinishedAudioTrack } from "./audio-group.ts";
import { buildLadderCommand, type TimeRange } from "./ffmpeg-args.ts";
import { FIRST_PICTURE_STREAM, scanKeyframes, type KeyframeScan } from "./keyframes.ts";
import { planLadder, type LadderOptions, type LadderPlan, type LadderRung } from "./ladder.ts";
import { assessPassthrough, type PassthroughVerdict } from "./passthrough.ts";
import { probeSource } from "./probe.ts";
import type { ProbeResult } from "./probe-result.ts";
import type { FfmpegProgress } from "./progress.ts";
import { finishRendition, type FinishedRendition } from "./rendition.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";

/** What a source gets: its ladder, and whether it is published by a remux first. */
export interface PublicationPlan {
  probe: ProbeResult;
  plan: LadderPlan;
  scan: KeyframeScan;
  passthrough: PassthroughVerdict;
}

export interface PlanPublicationOptions {
  ladder?: LadderOptions;
  ffmpegPath?: string;
  ffprobePath?: string;
  signal?: AbortSignal;
}

/** Probes (throwing UnplayableSourceError for media Kino refuses), plans the ladder and judges the source for passthrough. */
export async function planPublication(sourcePath: string, options: PlanPublicationOptions = {}): Promise<PublicationPlan> {
  const { signal, ffmpegPath, ffprobePath } = options;
  // The packet scan takes as long as the probe: started beside it on the stream the probe will most likely pick.
  const stopScan = new AbortController();
  const scanSignal = signal ? AbortSignal.any([signal, stopScan.signal]) : stopScan.signal;
  const early = scanKeyframes(sourcePath, FIRST_PICTURE_STREAM, { signal: scanSignal, ffprobePath }).then(
    (scan) => scan,
    () => undefined,
  );
  try {
    const probe = await probeSource(sourcePath, { signal, ffmpegPath, ffprobePath });
    // Only H.264 can pass through: for anything else the early scan is stopped (finally) before it reads every packet.
    let scan: KeyframeScan = NO_SCAN;
    if (probe.video.codec === "h264") {
      const guessed = await early;
      scan = guessed && guessed.streamIndex === probe.video.index ? guessed : await scanKeyframes(sourcePath, probe.video.index, { signal, ffprobePath });
    }
    return { probe, plan: planLadder(probe, options.ladder), scan, passthrough: assessPassthrough(probe, scan) };
  } finally {
    stopScan.abort();
    await early;
  }
}

const NO_SCAN: KeyframeScan = { streamIndex: -1, keyframes: [], lastFrameSeconds: 0, closedGops: false, gops: [] };

export interface EncodeRungsOptions {
  input: string;
  plan: LadderPlan;
  /** The rungs of `plan` to encode now, highest first; each lands in `<outDir>/<name>/`. */
  rungs: readonly LadderRung[];
  outDir: string;
  preset?: string;
  segmentSeconds?: number;
  /**
   * "encode": the plan's audio tracks are encoded once in the same process
   * (no second decode of the picture); `{ alone }`: made meanwhile by a
   * process of their own, each track treated as given (see makeAudioGroup:
   * the quicker way when the picture is cheap); otherwise the audio group
   * already made, which the rungs point at.
   */
  audio: "encode" | { alone: readonly AudioTreatment[] } | readonly FinishedAudioTrack[];
  /** Segment starts to force keyframes at (a passthrough's boundaries); the keyframe grid otherwise. */
  keyframeTimes?: readonly number[];
  /** Only this part of the input (see LadderCommandOptions.range). */
  range?: TimeRange;
  durationSeconds: number;
  ffmpegPath?: string;
  signal?: AbortSignal;
  onProgress?: (event: FfmpegProgress) => void;
}

export interface EncodedRungs {
  rungs: FinishedRendition[];
  /** The audio group the rungs point at: encoded now, or the one passed in. */
  audio: FinishedAudioTrack[];
}

/** One ffmpeg process, one decode, for `rungs` (and the audio group, when asked); returns each as read back from its files. */
export async function encodeRungs(options: EncodeRungsOptions): Promise<EncodedRungs> {
  const encodeAudio = options.audio === "encode";
  const plan = { ...options.plan, rungs: [...options.rungs], audio: encodeAudio ? options.plan.audio : [] };
  // Either process failing stops the other; neither writes into outDir once this settles.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const alone =
    options.audio !== "encode" && "alone" in options.audio
      ? makeAudioGroup({ input: options.input, tracks: options.plan.audio, treatments: options.audio.alone, outDir: options.outDir, segmentSeconds: options.segmentSeconds, ffmpegPath: options.ffmpegPath, signal })
      : Promise.resolve(undefined);
  const picture = runFfmpeg({
    args: buildLadderCommand({
      input: options.input,
      plan,
      outDir: options.outDir,
      preset: options.preset,
      segmentSeconds: options.segmentSeconds,
      ...(options.keyframeTimes ? { keyframeTimes: options.keyframeTimes } : {}),
      ...(options.range ? { range: options.range } : {}),
    }),
    ffmpegPath: options.ffmpegPath,
    signal,
    durationSeconds: options.durationSeconds,
    onProgress: options.onProgress,
  });
  let madeAlone: FinishedAudioTrack[] | undefined;
  try {
    [madeAlone] = await Promise.all([alone, picture]);
  } catch (error) {
    stop.abort(error);
    await Promise.allSettled([alone, picture]);
    throw error;
  }
  const audio = madeAlone ?? (options.audio === "encode" ? await finishEncodedAudio(options.outDir, plan.audio) : "alone" in options.audio ? [] : [...options.audio]);
  const group = summariseAudioGroup(audio.map((a) => a.rendition));
  return { rungs: await Promise.all(plan.rungs.map((rung) => finishRendition(options.outDir, rung, plan, group))), audio };
}

/** Reads back audio tracks the ladder's process encoded. */
export function finishEncodedAudio(outDir: string, tracks: readonly AudioPlan[]): Promise<FinishedAudioTrack[]> {
  return Promise.all(tracks.map((track) => finishAudioTrack(outDir, track, { codecs: AAC_LC_CODEC, channels: track.channels, sampleRate: track.sampleRate })));
}

/** Whether two rungs cut their segments at the same times. */
export function sameBoundaries(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => Math.abs(d - (b[i] ?? 0)) < 0.001);
}

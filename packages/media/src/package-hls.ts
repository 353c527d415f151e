import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { silentLogger, type Logger } from "@kino/platform";
import { buildLadderCommand } from "./ffmpeg-args.ts";
import { planLadder, type LadderOptions, type LadderPlan } from "./ladder.ts";
import { MASTER_PLAYLIST_NAME, renderMasterPlaylist } from "./master-playlist.ts";
import { produceAuxiliaryOutputs, type AuxiliaryOutput, type AuxiliaryReport } from "./auxiliary-output.ts";
import { posterOutput } from "./poster.ts";
import { probeSource } from "./probe.ts";
import type { ProbeResult } from "./probe-result.ts";
import type { FfmpegProgress } from "./progress.ts";
import { finishRendition, type Rendition } from "./rendition.ts";
import { summariseAudioGroup, type AudioRendition } from "./audio-group.ts";
import { finishEncodedAudio } from "./staged-ladder.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";

export interface TranscodeToHlsOptions {
  sourcePath: string;
  /** Where the package is written; created if missing, expected to hold nothing else. */
  workDir: string;
  /** For log context only: nothing on disk is named after it. */
  videoId: string;
  onProgress?: (event: FfmpegProgress) => void;
  signal?: AbortSignal;
  /** x264 preset; "veryfast" by default. */
  preset?: string;
  segmentSeconds?: number;
  ladder?: LadderOptions;
  ffmpegPath?: string;
  ffprobePath?: string;
  logger?: Logger;
}

export interface HlsPackage {
  renditions: Rendition[];
  /** The audio group every rendition points at; empty for a silent source. */
  audio: AudioRendition[];
  /** The source's stated duration, else the length of what was encoded. */
  durationSeconds: number;
  /** Every file of the package, relative to workDir, master playlist first. */
  files: string[];
  /** The poster and any other auxiliary output: how each was made, or why it is missing. */
  auxiliary: AuxiliaryReport[];
  probe: ProbeResult;
  plan: LadderPlan;
}

function sameBoundaries(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => Math.abs(d - (b[i] ?? 0)) < 0.001);
}

/** Files that go with the video; each may be missing from the package, none fails it. */
function auxiliaryOutputs(options: TranscodeToHlsOptions, probe: ProbeResult, plan: LadderPlan): AuxiliaryOutput[] {
  return [posterOutput({ input: options.sourcePath, video: probe.video, plan, ffmpegPath: options.ffmpegPath })];
}

/**
 * Source file → complete HLS package (CMAF/fMP4 renditions, master
 * playlist, and the auxiliary outputs that could be made). Throws
 * UnplayableSourceError for media Kino refuses, FfmpegError when the
 * ladder's encode fails, the signal's reason when aborted.
 */
export async function transcodeToHls(options: TranscodeToHlsOptions): Promise<HlsPackage> {
  const logger = (options.logger ?? silentLogger()).child({ videoId: options.videoId });
  const { signal, ffmpegPath } = options;
  const probe = await probeSource(options.sourcePath, { signal, ffmpegPath, ffprobePath: options.ffprobePath });
  const plan = planLadder(probe, options.ladder);
  logger.info({ rungs: plan.rungs.map((r) => `${r.name} ${r.width}x${r.height}`), frameRate: plan.frameRate, audioTracks: plan.audio.length }, "transcoding ladder");

  await mkdir(options.workDir, { recursive: true });
  const started = Date.now();
  // Auxiliary outputs come from the source, not the ladder: made alongside it, they cost no wall time.
  const ladderFailed = new AbortController();
  const auxiliary = produceAuxiliaryOutputs(auxiliaryOutputs(options, probe, plan), {
    dir: options.workDir,
    logger,
    signal: signal ? AbortSignal.any([signal, ladderFailed.signal]) : ladderFailed.signal,
  });
  try {
    await runFfmpeg({
      args: buildLadderCommand({ input: options.sourcePath, plan, outDir: options.workDir, preset: options.preset, segmentSeconds: options.segmentSeconds }),
      ffmpegPath,
      signal,
      durationSeconds: probe.durationSeconds,
      onProgress: options.onProgress,
    });
  } catch (error) {
    // Nothing may still write into workDir once this rejects: the caller removes it.
    ladderFailed.abort(error);
    await auxiliary.catch(() => undefined);
    throw error;
  }
  const reports = await auxiliary;
  logger.info({ seconds: (Date.now() - started) / 1000, mediaSeconds: probe.durationSeconds }, "ladder encoded");

  const audio = await finishEncodedAudio(options.workDir, plan.audio);
  const group = summariseAudioGroup(audio.map((a) => a.rendition));
  const finished = await Promise.all(plan.rungs.map((rung) => finishRendition(options.workDir, rung, plan, group)));
  const reference = finished[0]!.segmentDurations;
  if (!finished.every((f) => sameBoundaries(f.segmentDurations, reference))) {
    // Players switch rungs at segment boundaries; misaligned ones cause visible jumps.
    logger.warn({ boundaries: finished.map((f) => ({ name: f.rendition.name, durations: f.segmentDurations })) }, "segment boundaries differ between rungs");
  }
  const renditions = finished.map((f) => f.rendition);
  await writeFile(join(options.workDir, MASTER_PLAYLIST_NAME), renderMasterPlaylist(renditions, audio.map((a) => a.rendition)));

  return {
    renditions,
    audio: audio.map((a) => a.rendition),
    // A stream written to a pipe states no duration; what the ladder holds is then the best measure.
    durationSeconds: probe.durationSeconds > 0 ? probe.durationSeconds : reference.reduce((sum, d) => sum + d, 0),
    files: [MASTER_PLAYLIST_NAME, ...finished.flatMap((f) => f.files), ...audio.flatMap((a) => a.files), ...reports.flatMap((r) => ("files" in r ? r.files : []))],
    auxiliary: reports,
    probe,
    plan,
  };
}

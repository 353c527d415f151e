import { AAC_LC_CODEC, audioTrackDir, finishAudioTrack, type AudioPlan, type FinishedAudioTrack } from "./audio-group.ts";
import { DEFAULT_SEGMENT_SECONDS, hlsOutputArgs } from "./ffmpeg-args.ts";
import type { AudioStreamInfo, ProbeResult } from "./probe-result.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { untrustedInputOptions } from "./untrusted-input.ts";

/**
 * How one audio track is made by a process of its own, beside a first rung:
 * copied as it is when browsers play it, or encoded to AAC alone (cheap).
 */
export type AudioTreatment = { mode: "copy"; streamIndex: number; codecs: string; channels: number; sampleRate: number } | { mode: "encode"; streamIndex: number };

// AAC profiles as RFC 6381 object types.
const AAC_CODECS: Record<string, string> = { LC: "mp4a.40.2", "HE-AAC": "mp4a.40.5", "HE-AACv2": "mp4a.40.29" };

function treatmentOfStream(audio: AudioStreamInfo): AudioTreatment {
  const codecs = audio.codec === "aac" && audio.channels > 0 && audio.channels <= 2 ? AAC_CODECS[audio.profile ?? ""] : undefined;
  return codecs ? { mode: "copy", streamIndex: audio.index, codecs, channels: audio.channels, sampleRate: audio.sampleRate } : { mode: "encode", streamIndex: audio.index };
}

/** One treatment per audio stream of the source: stereo or mono AAC is copied, anything else encoded. */
export function audioTreatments(probe: ProbeResult): AudioTreatment[] {
  return probe.audioTracks.map(treatmentOfStream);
}

export interface AudioGroupOptions {
  input: string;
  /** The audio group's tracks (LadderPlan.audio), each made as `treatments` says. */
  tracks: readonly AudioPlan[];
  treatments: readonly AudioTreatment[];
  /** Each track lands in `<outDir>/audio/<track>/`. */
  outDir: string;
  segmentSeconds?: number;
  ffmpegPath?: string;
  signal?: AbortSignal;
}

function treatmentOf(track: AudioPlan, treatments: readonly AudioTreatment[]): AudioTreatment {
  return treatments.find((t) => t.streamIndex === track.streamIndex) ?? { mode: "encode", streamIndex: track.streamIndex };
}

/** argv of the audio group: each track copied or encoded to AAC alone, as HLS CMAF tracks. */
export function buildAudioGroupCommand(options: Pick<AudioGroupOptions, "input" | "tracks" | "treatments" | "outDir" | "segmentSeconds">): string[] {
  if (options.outDir.includes("%")) throw new RangeError(`output directory must not contain "%": ${options.outDir}`);
  const audioArgs = options.tracks.flatMap((track, i) =>
    treatmentOf(track, options.treatments).mode === "copy"
      ? ["-map", `0:${track.streamIndex}`, `-c:a:${i}`, "copy"]
      : ["-map", `0:${track.streamIndex}`, `-c:a:${i}`, "aac", `-b:a:${i}`, String(track.bitrate), `-ac:a:${i}`, String(track.channels), `-ar:a:${i}`, String(track.sampleRate)],
  );
  const streamMap = options.tracks.map((track, i) => `a:${i},name:${audioTrackDir(track.name)}`);
  return [
    "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats",
    ...untrustedInputOptions(), "-i", options.input,
    ...audioArgs,
    ...hlsOutputArgs(options.outDir, options.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS, streamMap),
  ];
}

/**
 * The audio group made by one ffmpeg process of its own, read back from
 * its files. In ffmpeg 5.1 every encoder of a process runs on one thread,
 * so audio encoded in the picture's process adds its whole time to the
 * picture's: in a process of its own it runs beside it.
 */
export async function makeAudioGroup(options: AudioGroupOptions): Promise<FinishedAudioTrack[]> {
  if (options.tracks.length === 0) return [];
  await runFfmpeg({ args: buildAudioGroupCommand(options), ffmpegPath: options.ffmpegPath, signal: options.signal });
  return Promise.all(
    options.tracks.map((track) => {
      const treatment = treatmentOf(track, options.treatments);
      const made = treatment.mode === "copy" ? { codecs: treatment.codecs, channels: treatment.channels, sampleRate: treatment.sampleRate } : { codecs: AAC_LC_CODEC, channels: track.channels, sampleRate: track.sampleRate };
      return finishAudioTrack(options.outDir, track, made);
    }),
  );
}

export { classifySource, type RejectionCode, type SourceVerdict } from "./media/classify.ts";
export { FfmpegError, UnplayableSourceError, type FfmpegErrorCode } from "./media/errors.ts";
export { probeFile, type ProbeOutcome, type ProbeToolOptions } from "./media/ffprobe.ts";
export { inspectSource, probeSource } from "./media/probe.ts";
export type { AudioStreamInfo, ProbeResult, VideoStreamInfo } from "./media/probe-result.ts";
export { DEFAULT_RUNGS, planLadder, type AudioPlan, type LadderOptions, type LadderPlan, type LadderRung, type RungSpec } from "./media/ladder.ts";
export {
  buildLadderCommand,
  buildPerRungCommands,
  DEFAULT_KEYFRAME_SECONDS,
  DEFAULT_PRESET,
  DEFAULT_SEGMENT_SECONDS,
  type LadderCommandOptions,
  type TimeRange,
} from "./media/ffmpeg-args.ts";
export { createProgressParser, type FfmpegProgress, type ProgressParser } from "./media/progress.ts";
export { runFfmpeg, type RunFfmpegOptions } from "./media/run-ffmpeg.ts";
export { MASTER_PLAYLIST_NAME, renderMasterPlaylist } from "./media/master-playlist.ts";
export { parseMediaPlaylist, type MediaPlaylist } from "./media/media-playlist.ts";
export type { Rendition } from "./media/rendition.ts";
export { POSTER_NAME, posterTimeSeconds, renderPoster } from "./media/poster.ts";
export { transcodeToHls, type HlsPackage, type TranscodeToHlsOptions } from "./media/package-hls.ts";
export { contentTypeFor, deleteOutputs, outputPrefix, uploadOutputs, type UploadedOutputs, type UploadOutputsOptions } from "./outputs/upload-outputs.ts";
export { cpuSlotsFor, detectCapacity, type DetectCapacityOptions, type TranscodeCapacity } from "./pool/capacity.ts";
export { createTranscodePool, type CreateTranscodePoolOptions, type RunJobOptions, type TranscodePool } from "./pool/create-pool.ts";
export type { JobProgress, JobStage, TranscodeJob, TranscodeJobResult } from "./pool/job.ts";
export type { JobFailure } from "./pool/job-failure.ts";
export { runTranscodeJob, type RunTranscodeJobOptions } from "./pool/transcode-job.ts";

export { classifySource, type RejectionCode, type SourceVerdict } from "./classify.ts";
export { FfmpegError, UnplayableSourceError, type FfmpegErrorCode } from "./errors.ts";
export { probeFile, type ProbeOutcome, type ProbeToolOptions } from "./ffprobe.ts";
export { inspectSource, probeSource } from "./probe.ts";
export type { AudioStreamInfo, ProbeResult, VideoStreamInfo } from "./probe-result.ts";
export { DEFAULT_RUNGS, planLadder, type LadderOptions, type LadderPlan, type LadderRung, type RungSpec } from "./ladder.ts";
export {
  buildLadderCommand,
  buildPerRungCommands,
  DEFAULT_KEYFRAME_SECONDS,
  DEFAULT_PRESET,
  DEFAULT_SEGMENT_SECONDS,
  type LadderCommandOptions,
  type TimeRange,
} from "./ffmpeg-args.ts";
export { createProgressParser, type FfmpegProgress, type ProgressParser } from "./progress.ts";
export { runFfmpeg, type RunFfmpegOptions } from "./run-ffmpeg.ts";
export { MASTER_PLAYLIST_NAME, renderMasterPlaylist } from "./master-playlist.ts";
export { parseMediaPlaylist, renderMediaPlaylist, type MediaPlaylist } from "./media-playlist.ts";
export type { Rendition } from "./rendition.ts";
export { POSTER_NAME, posterOutput, posterSeekSeconds, posterTimeSeconds, type PosterOptions } from "./poster.ts";
export { produceAuxiliaryOutputs, type AuxiliaryAttempt, type AuxiliaryOutput, type AuxiliaryReport, type ProduceAuxiliaryOptions } from "./auxiliary-output.ts";
export { transcodeToHls, type HlsPackage, type TranscodeToHlsOptions } from "./package-hls.ts";
export { measureBandwidth } from "./measure-bandwidth.ts";
export { scanKeyframes, type KeyframeScan } from "./keyframes.ts";
export { assessPassthrough, MAX_KEYFRAME_GAP_SECONDS, type PassthroughVerdict } from "./passthrough.ts";
export { audioTreatments, buildAudioGroupCommand, makeAudioGroup, type AudioGroupOptions, type AudioTreatment } from "./audio-alone.ts";
export { buildPassthroughVideoCommand, PASSTHROUGH_RUNG_NAME, remuxPassthrough, startPassthroughRemux, type PassthroughOptions, type PassthroughRemux, type PassthroughRendition } from "./passthrough-rendition.ts";
export { planPassthroughSegments, plannedBandwidth, type PassthroughSegment } from "./passthrough-segments.ts";
export { encodeRungs, planPublication, sameBoundaries, type EncodedRungs, type EncodeRungsOptions, type PlanPublicationOptions, type PublicationPlan } from "./staged-ladder.ts";
export { finishOutput, INIT_SEGMENT_NAME, MEDIA_PLAYLIST_NAME, type FinishedRendition, type OutputShape } from "./rendition.ts";
export { cutSourceSlice, type SourceSliceOptions } from "./source-slice.ts";
export { AUDIO_GROUP_ID, audioTrackDir, summariseAudioGroup, type AudioGroupSummary, type AudioPlan, type AudioRendition, type FinishedAudioTrack } from "./audio-group.ts";
export { CONTENT_KEY_NAME, decryptSegment, encryptSegment, encryptTrack, segmentIvs } from "./segment-encryption.ts";
export { iFrameBandwidth, IFRAME_PLAYLIST_NAME, renderIFramePlaylist, type IFrameEntry, type IFrameVariant } from "./iframe-playlist.ts";
export { layOutStoryboard, MAX_STORYBOARD_TILES, STORYBOARD_DIR, STORYBOARD_NAME, storyboardIntervalSeconds, storyboardOutput, type StoryboardLayout, type StoryboardOptions } from "./storyboard.ts";
export { PREVIEW_NAME, previewOutput, previewStartSeconds, type PreviewOptions } from "./animated-preview.ts";
export { DOWNLOAD_NAME, downloadTracksOf, makeDownloadMp4, trackFiles, type DownloadTracks, type MakeDownloadOptions } from "./download-mp4.ts";
export { MAX_PSNR_DB, measureQuality, type MeasureQualityOptions, type RenditionQuality } from "./quality-report.ts";
export { MAX_QUALITY_WINDOWS, pickQualityWindows, QUALITY_MIN_FRAMES, QUALITY_SAMPLE_SHARE, QUALITY_WINDOW_FRAMES, type QualityWindow } from "./quality-samples.ts";

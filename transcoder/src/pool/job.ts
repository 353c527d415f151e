import type { StorageConfig } from "@kino/storage";
import type { Rendition, RenditionQuality } from "@kino/media";
import type { AuxiliaryRecord } from "../ranges/chunk-plan.ts";

/** One video to transcode; plain data, so it crosses into a worker thread as is. */
export interface TranscodeJob {
  videoId: string;
  /** Storage key of the uploaded source (`raw/<videoId>/…`). */
  sourceKey: string;
  /** Names this attempt's output prefix `media/<videoId>/<outputId>/`; new per attempt. */
  outputId: string;
  storage: StorageConfig;
  /** x264 preset; "veryfast" by default. */
  preset?: string;
  /** HLS segment length; 4 s by default. */
  segmentSeconds?: number;
  /**
   * Rungs already published under outputId by an earlier delivery (the
   * catalog lists them READY): made again locally, for the master playlist
   * and the boundaries, but never uploaded over what players may be reading.
   */
  publishedRenditions?: string[];
  /**
   * A protected video's AES-128 key (kino.catalog.v1.ContentKeyService):
   * every media segment is encrypted with it before upload, and no MPD or
   * I-frame playlist is made. Never logged.
   */
  contentKey?: Uint8Array;
  /**
   * Also make the MP4 download (kino.catalog.v1.Download) from the finished
   * ladder's top rung and default audio track; its failure never fails the
   * job. Never set with contentKey (the catalog refuses both).
   */
  download?: boolean;
  /**
   * Split a source at least twice this long into ranges of about this many
   * seconds, encoded by any host (see transcoder/README.md); 0 or absent
   * never splits. Protected videos, those asking for a download at upload
   * and rotated sources are never split.
   */
  rangeSeconds?: number;
  /** Sources shorter than this are never split. */
  splitMinSeconds?: number;
}

/** A rung of the finished ladder, with its quality report when it could be measured. */
export interface MeasuredRendition extends Rendition {
  quality?: RenditionQuality;
}

/** How far a rung is, as PublishRenditions reports it. */
export type RungState = "pending" | "encoding" | "ready";

export interface PublishedRendition extends Rendition {
  state: RungState;
  /** The source's own stream, repackaged (see kino.catalog.v1.Rendition.passthrough). */
  passthrough?: boolean;
}

/** A master playlist the job has just uploaded: the whole planned ladder, with what it names READY. */
export interface Publication {
  videoId: string;
  outputId: string;
  durationSeconds: number;
  renditions: PublishedRendition[];
}

export type JobStage = "download" | "encode" | "upload";

export interface JobProgress {
  stage: JobStage;
  /** 0–100 within the stage, when known. */
  percent?: number;
  /** Encoding speed as a multiple of realtime (encode stage). */
  speed?: number;
  /** Frames encoded per second (encode stage). */
  fps?: number;
}

export interface TranscodeJobResult {
  videoId: string;
  outputId: string;
  /** `media/<videoId>/<outputId>/` */
  prefix: string;
  masterKey: string;
  /** Absent when no poster could be made: the video is published without one (see `warnings`). */
  posterKey?: string;
  /** The storyboard's WebVTT thumbnails track (`storyboard.vtt`); absent when it could not be made. */
  storyboardKey?: string;
  /** The animated preview (`preview.webp`); absent when it could not be made. */
  previewKey?: string;
  durationSeconds: number;
  renditions: MeasuredRendition[];
  /** Storage key of every published file. */
  keys: string[];
  /** Auxiliary outputs (poster, storyboard, preview) published without, and why. */
  warnings: OutputWarning[];
  /** The MP4 download, when the job asked for one: made (its key and size), or why not. */
  download?: DownloadResult;
}

/**
 * A job that split its video: the first rung is published, the ranges are
 * queued for any host, and this job made the auxiliary outputs (their
 * keys, and the record the join reports them from).
 */
export interface SplitJobResult {
  split: true;
  videoId: string;
  outputId: string;
  keys: string[];
  auxiliary: AuxiliaryRecord;
}

export type DownloadResult = { key: string; sizeBytes: number } | { failure: string };

export interface OutputWarning {
  /** The auxiliary output that is missing: "poster", "storyboard", "preview"; "quality" for a rung's quality report. */
  output: string;
  message: string;
}

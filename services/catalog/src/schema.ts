import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { ContentProtectionName } from "./content-keys/content-protection.ts";
import type { EngagementTables } from "./engagement-schema.ts";

export type VideoStatusName = "UPLOADING" | "UPLOADED" | "PROCESSING" | "READY" | "FAILED" | "DELETED";

export type VisibilityName = "PUBLIC" | "UNLISTED" | "PRIVATE";

/** How far the MP4 download is (kino.catalog.v1.DownloadState), as stored. */
export type DownloadStateName = "NONE" | "PENDING" | "READY" | "FAILED";

/** How far one rung is (kino.catalog.v1.RenditionState); rows written before fast publish have none. */
export type RenditionStateName = "PENDING" | "ENCODING" | "READY";

export interface RenditionRow {
  name: string;
  width: number;
  height: number;
  bandwidth: number;
  averageBandwidth: number;
  frameRate: number;
  codecs: string;
  state?: RenditionStateName;
  /** The source's own stream, repackaged: listed only while the ladder is encoded. */
  passthrough?: boolean;
  /** The transcoder's quality report (kino.catalog.v1.RenditionQuality); rungs stored before reports, or not measured, have none. */
  quality?: RenditionQualityRow;
}

export interface RenditionQualityRow {
  ssim: number;
  psnrDb: number;
  framesCompared: number;
}

export interface ProgressRow {
  percent: number;
  fps: number;
  speed: number;
  updatedAt: string;
}

export interface VideosTable {
  id: string;
  /** Insertion order; the pagination key, so pages stay stable while rows are added. */
  seq: Generated<string>;
  owner_id: string;
  title: string;
  description: string;
  status: VideoStatusName;
  failure_reason: string;
  duration_seconds: number;
  renditions: ColumnType<RenditionRow[], string, string>;
  playback_path: string;
  poster_path: string;
  /** A poster the owner uploaded: its file under `<output>/posters/`, or "" for the automatic poster_path. */
  custom_poster: Generated<string>;
  /** The served output's storyboard.vtt as an origin path, or "" when none was made. */
  storyboard_path: Generated<string>;
  /** The served output's preview.webp as an origin path, or "" when none was made. */
  preview_path: Generated<string>;
  progress: ColumnType<ProgressRow | null, string | null, string | null>;
  source_key: Generated<string>;
  source: ColumnType<SourceRow | null, string | null, string | null>;
  /** The transcode attempt whose outputs are served; set when the video becomes playable. */
  output_id: Generated<string>;
  /** Its master playlist is served: READY, or PROCESSING with a first rung published. */
  playable: Generated<boolean>;
  /** Who may see it besides its owner; see visibility-rules.ts. */
  visibility: Generated<VisibilityName>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  /** A categories.slug, or "". */
  category: Generated<string>;
  /** A canonical BCP 47 tag, or "". */
  language: Generated<string>;
  /** How its segments are protected; chosen at creation, never changed (content-keys/). */
  content_protection: Generated<ContentProtectionName>;
  /** Languages of its caption tracks, sorted; kept by caption-handlers.ts. */
  caption_languages: ColumnType<string[], string[] | undefined, string[]>;
  /** The served output's download.mp4 (download-handlers.ts); NONE unless asked for. */
  download_state: Generated<DownloadStateName>;
  /** Its size once READY; 0 otherwise. */
  download_size_bytes: ColumnType<string, number | undefined, number>;
  /** Why it FAILED; "" otherwise. */
  download_reason: Generated<string>;
  version: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SourceRow {
  durationSeconds: number;
  width: number;
  height: number;
  frameRate: number;
  hasAudio: boolean;
  sizeBytes: number;
  videoCodec: string;
}

/** Jobs and events waiting to be published, in commit order. */
export interface OutboxTable {
  seq: Generated<string>;
  subject_kind: OutboxSubjectKind;
  message_id: string;
  payload: Uint8Array;
  created_at: Generated<Date>;
}

export type OutboxSubjectKind =
  | "transcode_job"
  | "download_job"
  | "video.created"
  | "video.updated"
  | "video.uploaded"
  | "video.ready"
  | "video.failed"
  | "video.deleted"
  | "video.commented";

export interface CategoriesTable {
  slug: string;
  name: string;
  created_at: Generated<Date>;
}

/** One caption track per video and language (see caption-handlers.ts). */
export interface VideoCaptionsTable {
  video_id: string;
  /** Canonical BCP 47. */
  language: string;
  label: string;
  version: Generated<string>;
  /** The track's words without markup, for search. */
  text: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A protected video's key, wrapped under a master key (content-keys/content-key-wrap.ts); never in clear. */
export interface VideoContentKeysTable {
  video_id: string;
  master_key_id: string;
  /** iv ‖ AES-256-GCM ciphertext ‖ tag. */
  wrapped_key: Uint8Array;
  created_at: Generated<Date>;
}

export interface CatalogDatabase extends EngagementTables {
  videos: VideosTable;
  video_content_keys: VideoContentKeysTable;
  video_captions: VideoCaptionsTable;
  outbox: OutboxTable;
  categories: CategoriesTable;
}

export type VideoRow = Selectable<VideosTable>;
export type NewVideoRow = Insertable<VideosTable>;

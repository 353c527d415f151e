import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { RenditionState, VideoSchema, VideoStatus } from "@kino/proto/catalog/v1";
import type { RenditionRow, RenditionStateName, VideoRow, VideoStatusName } from "./schema.ts";
import { contentProtectionToProto } from "./content-keys/content-protection.ts";
import { downloadMessage } from "./download-message.ts";
import { visibilityToProto } from "./visibility.ts";

const statusToProto: Record<VideoStatusName, VideoStatus> = {
  UPLOADING: VideoStatus.UPLOADING,
  UPLOADED: VideoStatus.UPLOADED,
  PROCESSING: VideoStatus.PROCESSING,
  READY: VideoStatus.READY,
  FAILED: VideoStatus.FAILED,
  DELETED: VideoStatus.DELETED,
};

const renditionStateToProto: Record<RenditionStateName, RenditionState> = {
  PENDING: RenditionState.PENDING,
  ENCODING: RenditionState.ENCODING,
  READY: RenditionState.READY,
};

export function renditionStateFromProto(state: RenditionState): RenditionStateName | undefined {
  const entry = Object.entries(renditionStateToProto).find(([, value]) => value === state);
  return entry ? (entry[0] as RenditionStateName) : undefined;
}

// A rung stored before per-rendition state existed was only ever stored with READY.
function renditionMessage(rendition: RenditionRow) {
  return { ...rendition, state: renditionStateToProto[rendition.state ?? "READY"], passthrough: rendition.passthrough ?? false };
}

export function statusFromProto(status: VideoStatus): VideoStatusName | "" {
  const entry = Object.entries(statusToProto).find(([, value]) => value === status);
  return entry ? (entry[0] as VideoStatusName) : "";
}

export function videoMessage(row: VideoRow): MessageInitShape<typeof VideoSchema> {
  return {
    id: row.id,
    ownerId: row.owner_id,
    title: row.title,
    description: row.description,
    status: statusToProto[row.status],
    failureReason: row.failure_reason,
    durationSeconds: row.duration_seconds,
    renditions: row.renditions.map(renditionMessage),
    playbackPath: row.playback_path,
    posterPath: row.custom_poster ? `/hls/${row.id}/${row.output_id}/posters/${row.custom_poster}` : row.poster_path,
    storyboardPath: row.storyboard_path,
    previewPath: row.preview_path,
    version: BigInt(row.version),
    progress: row.progress
      ? {
          percent: row.progress.percent,
          fps: row.progress.fps,
          speed: row.progress.speed,
          updateTime: timestampFromDate(new Date(row.progress.updatedAt)),
        }
      : undefined,
    createTime: timestampFromDate(row.created_at),
    updateTime: timestampFromDate(row.updated_at),
    visibility: visibilityToProto(row.visibility),
    tags: row.tags,
    category: row.category,
    language: row.language,
    captionLanguages: row.caption_languages,
    contentProtection: contentProtectionToProto(row.content_protection),
    download: downloadMessage(row),
    // Deleted or failed videos never play, whatever the column last said.
    playable: row.playable && (row.status === "READY" || row.status === "PROCESSING"),
  };
}

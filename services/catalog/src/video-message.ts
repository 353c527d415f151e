import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { VideoSchema, VideoStatus } from "@kino/proto/catalog/v1";
import type { VideoRow, VideoStatusName } from "./schema.ts";
import { visibilityToProto } from "./visibility.ts";

const statusToProto: Record<VideoStatusName, VideoStatus> = {
  UPLOADING: VideoStatus.UPLOADING,
  UPLOADED: VideoStatus.UPLOADED,
  PROCESSING: VideoStatus.PROCESSING,
  READY: VideoStatus.READY,
  FAILED: VideoStatus.FAILED,
  DELETED: VideoStatus.DELETED,
};

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
    renditions: row.renditions,
    playbackPath: row.playback_path,
    posterPath: row.poster_path,
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
  };
}

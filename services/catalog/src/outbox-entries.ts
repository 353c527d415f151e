import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { VideoEventSchema, type VideoEvent } from "@kino/proto/events/v1";
import { DownloadJobSchema, TranscodeJobSchema } from "@kino/proto/media/v1";
import type { OutboxSubjectKind, VideoRow } from "./schema.ts";
import { videoMessage } from "./video-message.ts";

export interface OutboxEntry {
  subject_kind: OutboxSubjectKind;
  message_id: string;
  payload: Uint8Array;
}

/** One transcode job per video: its id is stable, so a re-enqueue is deduplicated by the stream. */
export function transcodeJobEntry(row: VideoRow): OutboxEntry {
  const jobId = `transcode-${row.id}`;
  const source = row.source;
  const job = create(TranscodeJobSchema, {
    jobId,
    videoId: row.id,
    sourceKey: row.source_key,
    source: source
      ? {
          durationSeconds: source.durationSeconds,
          width: source.width,
          height: source.height,
          frameRate: source.frameRate,
          hasAudio: source.hasAudio,
          sizeBytes: BigInt(source.sizeBytes),
          videoCodec: source.videoCodec,
        }
      : undefined,
    ranges: [{ index: 0, startSeconds: 0, endSeconds: 0 }],
  });
  return { subject_kind: "transcode_job", message_id: jobId, payload: toBinary(TranscodeJobSchema, job) };
}

/**
 * The MP4 download of a READY video's output. One per request: the id
 * carries the version the request moved the video to, so a retry after a
 * failure is a new job, while a relayed row published twice is stored once.
 */
export function downloadJobEntry(row: VideoRow): OutboxEntry {
  const jobId = `download-${row.id}-${row.version}`;
  const job = create(DownloadJobSchema, { jobId, videoId: row.id, outputId: row.output_id });
  return { subject_kind: "download_job", message_id: jobId, payload: toBinary(DownloadJobSchema, job) };
}

// Progress is not an outbox event; comments have their own entry (comment-event-entry.ts).
type EventKind = Exclude<VideoEvent["kind"]["case"], "progress" | "commented" | undefined>;

/**
 * A lifecycle event carrying the video as it is after the change. One per
 * video and kind, so its id is stable too; metadata updates are one per
 * version.
 */
export function videoEventEntry(row: VideoRow, kind: EventKind): OutboxEntry {
  const value = {
    created: {},
    updated: {},
    uploaded: { sourceKey: row.source_key },
    ready: { playbackPath: row.playback_path, durationSeconds: row.duration_seconds },
    failed: { reason: row.failure_reason },
    deleted: {},
  }[kind];
  const eventId = kind === "updated" ? `${row.id}.updated.${row.version}` : `${row.id}.${kind}`;
  const event = create(VideoEventSchema, {
    eventId,
    videoId: row.id,
    ownerId: row.owner_id,
    time: timestampFromDate(new Date()),
    video: videoMessage(row),
    kind: { case: kind, value } as VideoEvent["kind"],
  });
  return { subject_kind: `video.${kind}`, message_id: eventId, payload: toBinary(VideoEventSchema, event) };
}

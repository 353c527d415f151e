import { VideoStatus, type Video } from "@kino/proto/catalog/v1";

export function statusText(video: Video): string {
  switch (video.status) {
    case VideoStatus.UPLOADING:
      return "Uploading";
    case VideoStatus.UPLOADED:
      return "Uploaded, waiting to be processed";
    case VideoStatus.PROCESSING:
      return video.progress ? `Processing ${Math.floor(video.progress.percent)}%` : "Processing";
    case VideoStatus.READY:
      return "Ready";
    case VideoStatus.FAILED:
      return `Failed: ${video.failureReason || "no reason given"}`;
    case VideoStatus.DELETED:
      return "Deleted";
    default:
      return "Unknown";
  }
}

/** The status as words (never colour alone), announced as it changes. */
export function VideoStatusBadge({ video }: { video: Video }) {
  const kind = VideoStatus[video.status]?.toLowerCase() ?? "unknown";
  return (
    <span className={`status status-${kind}`} role="status" data-status={VideoStatus[video.status]}>
      {statusText(video)}
    </span>
  );
}

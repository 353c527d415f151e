import type { VideoRow } from "./schema.ts";

/**
 * Who sees a video: its owner, in any status but DELETED; anyone else only
 * once it is READY and PUBLIC or UNLISTED (an unlisted video is reachable by
 * id, never listed: see VideoRepository.list). To everyone who may not see a
 * video, it does not exist: callers answer NOT_FOUND, never
 * PERMISSION_DENIED, so a private video's existence does not leak.
 */
export function isVisible(row: VideoRow, callerId: string | undefined): boolean {
  if (row.status === "DELETED") return false;
  if (row.owner_id === callerId) return true;
  return row.status === "READY" && row.visibility !== "PRIVATE";
}

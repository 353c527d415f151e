import type { MessageInitShape } from "@bufbuild/protobuf";
import { DownloadState, type DownloadSchema } from "@kino/proto/catalog/v1";
import type { DownloadStateName, VideoRow } from "./schema.ts";

/** The file's name under the output; the origin serves it only while the catalog says READY. */
export const DOWNLOAD_FILE = "download.mp4";

const stateToProto: Record<DownloadStateName, DownloadState> = {
  NONE: DownloadState.NONE,
  PENDING: DownloadState.PENDING,
  READY: DownloadState.READY,
  FAILED: DownloadState.FAILED,
};

/** Video.download as the catalog returns it: a path and size only when READY, a reason only when FAILED. */
export function downloadMessage(row: VideoRow): MessageInitShape<typeof DownloadSchema> {
  const ready = row.download_state === "READY";
  return {
    state: stateToProto[row.download_state],
    path: ready ? `/hls/${row.id}/${row.output_id}/${DOWNLOAD_FILE}` : "",
    sizeBytes: ready ? BigInt(row.download_size_bytes) : 0n,
    reason: row.download_state === "FAILED" ? row.download_reason : "",
  };
}


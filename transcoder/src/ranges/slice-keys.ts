import { rawKey } from "@kino/storage";

/** The source packets range `index` of output `outputId` needs, beside the source under raw/<videoId>/. */
export function sliceKey(videoId: string, outputId: string, index: number): string {
  return rawKey(videoId, `slice-${outputId}-${index}.mkv`);
}

/** A range attempt's segment in the rung's folder: named for the attempt, so a losing or killed one never overwrites the winner's. */
export function rangeSegmentName(globalIndex: number, attempt: string): string {
  return `seg_${String(globalIndex).padStart(5, "0")}_${attempt}.m4s`;
}
